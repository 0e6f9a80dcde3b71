// Typed reading of a JSON object, the way the original's Go decoder reads its
// structs: keys match case-insensitively, unknown keys are ignored, a missing
// key or `null` leaves the zero value, and a value of the wrong type is an
// error naming the field. Parsing is iterative (no recursion on deep input)
// and checks UTF-8.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

namespace protocol {

// Parses `json`; the error is a short English description.
std::expected<rapidjson::Document, std::string> parse_json(std::string_view json);
// The same, decoding strings inside `json` itself (no copy of each string,
// which counts for a picture of many megabytes): the document's strings
// point into `json`, which must outlive it and is changed.
std::expected<rapidjson::Document, std::string> parse_json_in_place(std::string& json);

class ObjectReader {
 public:
  explicit ObjectReader(const rapidjson::Value& object) : object_(object) {}

  // The value of `key` (case-insensitive), or nullptr when absent or null.
  const rapidjson::Value* find(std::string_view key) const;

  void read(std::string_view key, std::string& out);
  void read(std::string_view key, bool& out);
  void read(std::string_view key, int64_t& out);
  void read(std::string_view key, std::vector<std::string>& out);

  // The first type error, e.g. `"msgID" must be an integer`; empty if none.
  const std::string& error() const { return error_; }
  bool ok() const { return error_.empty(); }
  void fail(std::string_view key, std::string_view expected);

 private:
  const rapidjson::Value& object_;
  std::string error_;
};

}  // namespace protocol
