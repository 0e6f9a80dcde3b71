#include "protocol/json_reader.hpp"

#include <rapidjson/error/en.h>

#include "util/text.hpp"

namespace protocol {

namespace {

constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                            rapidjson::kParseStopWhenDoneFlag;

std::expected<rapidjson::Document, std::string> checked(rapidjson::Document doc) {
  if (doc.HasParseError()) {
    return std::unexpected(std::string(rapidjson::GetParseError_En(doc.GetParseError())) +
                           " (at byte " + std::to_string(doc.GetErrorOffset()) + ")");
  }
  return doc;
}

}  // namespace

std::expected<rapidjson::Document, std::string> parse_json(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<kFlags>(json.data(), json.size());
  return checked(std::move(doc));
}

std::expected<rapidjson::Document, std::string> parse_json_in_place(std::string& json) {
  rapidjson::Document doc;
  doc.ParseInsitu<kFlags | rapidjson::kParseInsituFlag>(json.data());
  return checked(std::move(doc));
}

const rapidjson::Value* ObjectReader::find(std::string_view key) const {
  const rapidjson::Value* found = nullptr;
  for (auto it = object_.MemberBegin(); it != object_.MemberEnd(); ++it) {
    const auto& name = it->name;
    if (name.GetStringLength() == key.size() &&
        std::string_view(name.GetString(), name.GetStringLength()) == key) {
      found = &it->value;  // an exact match wins over a case-insensitive one
      break;
    }
    if (!found && util::iequals({name.GetString(), name.GetStringLength()}, key))
      found = &it->value;
  }
  if (found && found->IsNull()) return nullptr;
  return found;
}

void ObjectReader::fail(std::string_view key, std::string_view expected) {
  if (error_.empty()) error_ = "\"" + std::string(key) + "\" must be " + std::string(expected);
}

void ObjectReader::read(std::string_view key, std::string& out) {
  auto* v = find(key);
  if (!v) return;
  if (!v->IsString()) return fail(key, "a string");
  out.assign(v->GetString(), v->GetStringLength());
}

void ObjectReader::read(std::string_view key, bool& out) {
  auto* v = find(key);
  if (!v) return;
  if (!v->IsBool()) return fail(key, "true or false");
  out = v->GetBool();
}

void ObjectReader::read(std::string_view key, int64_t& out) {
  auto* v = find(key);
  if (!v) return;
  if (!v->IsInt64()) return fail(key, "an integer");
  out = v->GetInt64();
}

void ObjectReader::read(std::string_view key, std::vector<std::string>& out) {
  auto* v = find(key);
  if (!v) return;
  if (!v->IsArray()) return fail(key, "an array of strings");
  std::vector<std::string> list;
  list.reserve(v->Size());
  for (const auto& item : v->GetArray()) {
    if (!item.IsString()) return fail(key, "an array of strings");
    list.emplace_back(item.GetString(), item.GetStringLength());
  }
  out = std::move(list);
}

}  // namespace protocol
