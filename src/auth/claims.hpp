// The JWT claims the chat understands, as the host website signs them.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace auth {

struct Claims {
  // Registered claims.
  std::string iss;
  std::string sub;  // the chat username
  std::vector<std::string> aud;
  std::optional<double> exp;
  std::optional<double> nbf;
  std::optional<double> iat;
  std::string jti;
  // The chat's own claims.
  bool op = false;
  bool vip = false;
  std::string img;
  std::string url;
  std::string nick;
  std::string emoji;
  std::string gender;
  std::vector<std::string> rules;

  bool has_rule(std::string_view r) const;
};

// Reads claims from a JSON object; unknown claims are dropped, a claim of the
// wrong type is an error (as with the original).
std::expected<Claims, std::string> claims_from_json(const rapidjson::Value& object);

// Serializes in the original's order: non-empty chat claims first, then the
// registered ones; times as whole seconds.
std::string claims_to_json(const Claims& c);

// The rule dictionary sent as `jwtRules` and put in the page (`UserJWTRules`):
// all five keys, in alphabetical order.
std::string rules_dictionary_json(const Claims& c);

}  // namespace auth
