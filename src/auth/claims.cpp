#include "auth/claims.hpp"

#include <algorithm>
#include <cmath>

#include "protocol/json_reader.hpp"
#include "protocol/json_writer.hpp"

namespace auth {

bool Claims::has_rule(std::string_view r) const {
  return std::find(rules.begin(), rules.end(), r) != rules.end();
}

namespace {

// `aud` may be one string or an array of strings.
std::string read_audience(protocol::ObjectReader& r, std::vector<std::string>& out) {
  auto* v = r.find("aud");
  if (!v) return {};
  if (v->IsString()) {
    out.assign(1, std::string(v->GetString(), v->GetStringLength()));
    return {};
  }
  r.read("aud", out);
  return r.error();
}

std::string read_time(protocol::ObjectReader& r, const char* key, std::optional<double>& out) {
  auto* v = r.find(key);
  if (!v) return {};
  if (!v->IsNumber()) return std::string("\"") + key + "\" must be a number";
  out = v->GetDouble();
  return {};
}

}  // namespace

std::expected<Claims, std::string> claims_from_json(const rapidjson::Value& object) {
  if (!object.IsObject()) return std::unexpected("the claims are not a JSON object");
  Claims c;
  protocol::ObjectReader r(object);
  r.read("iss", c.iss);
  r.read("sub", c.sub);
  r.read("jti", c.jti);
  r.read("op", c.op);
  r.read("vip", c.vip);
  r.read("img", c.img);
  r.read("url", c.url);
  r.read("nick", c.nick);
  r.read("emoji", c.emoji);
  r.read("gender", c.gender);
  r.read("rules", c.rules);
  if (!r.ok()) return std::unexpected(r.error());
  for (auto err : {read_audience(r, c.aud), read_time(r, "exp", c.exp), read_time(r, "nbf", c.nbf),
                   read_time(r, "iat", c.iat)}) {
    if (!err.empty()) return std::unexpected(err);
  }
  return c;
}

std::string claims_to_json(const Claims& c) {
  std::string out;
  protocol::JsonWriter w(out);
  w.begin_object();
  auto text = [&](const char* k, const std::string& v) {
    if (!v.empty()) w.field(k, v);
  };
  auto time = [&](const char* k, const std::optional<double>& v) {
    if (v) w.field(k, static_cast<int64_t>(std::floor(*v)));
  };
  if (c.op) w.field("op", true);
  if (c.vip) w.field("vip", true);
  text("img", c.img);
  text("url", c.url);
  text("nick", c.nick);
  text("emoji", c.emoji);
  text("gender", c.gender);
  if (!c.rules.empty()) {
    w.key("rules").begin_array();
    for (const auto& r : c.rules) w.string(r);
    w.end_array();
  }
  text("iss", c.iss);
  text("sub", c.sub);
  if (c.aud.size() == 1) {
    w.field("aud", c.aud[0]);
  } else if (!c.aud.empty()) {
    w.key("aud").begin_array();
    for (const auto& a : c.aud) w.string(a);
    w.end_array();
  }
  time("exp", c.exp);
  time("nbf", c.nbf);
  time("iat", c.iat);
  text("jti", c.jti);
  w.end_object();
  return out;
}

std::string rules_dictionary_json(const Claims& c) {
  std::string out;
  protocol::JsonWriter w(out);
  w.begin_object()
      .field("IsNoBroadcastRule", c.has_rule("novideo") || c.has_rule("nobroadcast"))
      .field("IsNoDarkVideoRule", c.has_rule("nodvd"))
      .field("IsNoImageRule", c.has_rule("noimage"))
      .field("IsNoVideoRule", c.has_rule("novideo"))
      .field("IsRedCamRule", c.has_rule("redcam"))
      .end_object();
  return out;
}

}  // namespace auth
