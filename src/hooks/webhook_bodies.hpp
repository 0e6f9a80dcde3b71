// The JSON bodies posted to the website's webhooks (webhooks.md §2, §3):
// compact, keys in the original's order, strings escaped as Go does
// (`<`, `>`, `&` as \u escapes). The only credential is APIKey.
#pragma once

#include <string>
#include <string_view>

#include "chat/output.hpp"

namespace hooks {

std::string report_body(std::string_view api_key, const chat::Report& r);
std::string profile_body(std::string_view api_key, std::string_view username);

}  // namespace hooks
