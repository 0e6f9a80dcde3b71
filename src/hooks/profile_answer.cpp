#include "hooks/profile_answer.hpp"

#include "protocol/json_reader.hpp"
#include "protocol/json_writer.hpp"
#include "util/text.hpp"

namespace hooks {
namespace {

struct Field {
  std::string name, value;
};

struct ProfileData {
  bool ok = false;
  std::string error, headline;
  std::vector<Field> fields;
};

constexpr std::string_view kNoAnswer = "unexpected end of JSON input";

ProfileAnswer failure(std::string_view why) {
  std::string body;
  protocol::JsonWriter w(body, true);
  w.begin_object()
      .field("OK", false)
      .field("Error", "Didn't get expected response for profile data: " + std::string(why))
      .end_object();
  return {false, std::move(body)};
}

// Reads `Data`; the error names what had the wrong type.
std::string read_data(const rapidjson::Value& v, ProfileData& d) {
  if (!v.IsObject()) return "\"Data\" must be an object";
  protocol::ObjectReader r(v);
  r.read("OK", d.ok);
  r.read("Error", d.error);
  r.read("Headline", d.headline);
  if (const auto* fields = r.find("ProfileFields")) {
    if (!fields->IsArray()) return "\"ProfileFields\" must be an array";
    for (const auto& f : fields->GetArray()) {
      if (!f.IsObject()) return "\"ProfileFields\" must hold objects";
      protocol::ObjectReader fr(f);
      Field field;
      fr.read("Name", field.name);
      fr.read("Value", field.value);
      if (!fr.ok()) return fr.error();
      d.fields.push_back(std::move(field));
    }
  }
  return r.error();
}

std::string encode(const ProfileData& d) {
  std::string body;
  protocol::JsonWriter w(body, true);
  w.begin_object().field("OK", d.ok);
  if (!d.error.empty()) w.field("Error", d.error);
  if (!d.headline.empty()) w.field("Headline", d.headline);
  if (!d.fields.empty()) {
    w.key("ProfileFields").begin_array();
    for (const auto& f : d.fields) {
      w.begin_object().field("Name", f.name).field("Value", f.value).end_object();
    }
    w.end_array();
  }
  w.end_object();
  return body;
}

}  // namespace

ProfileAnswer no_profile_answer() {
  return failure(kNoAnswer);
}

// The HTTP status of the website's answer does not matter, only the
// StatusCode inside it (as in the original).
ProfileAnswer read_profile_answer(const WebhookResponse& response) {
  // The original's text whenever there is no answer to read (it parses an
  // empty body): unreachable, too slow, too large. The log says which.
  if (!response.error.empty() || util::trim(response.body).empty()) {
    return failure(kNoAnswer);
  }
  auto doc = protocol::parse_json(response.body);
  if (!doc) return failure(doc.error());
  if (!doc->IsObject()) return failure("the answer is not a JSON object");
  protocol::ObjectReader r(*doc);
  int64_t status_code = 0;
  r.read("StatusCode", status_code);
  if (!r.ok()) return failure(r.error());
  ProfileData data;
  if (const auto* d = r.find("Data")) {
    if (auto error = read_data(*d, data); !error.empty()) return failure(error);
  }
  return {status_code == 200 && data.error.empty(), encode(data)};
}

}  // namespace hooks
