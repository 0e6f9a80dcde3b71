// Text for HTML: & < > " ' become character references.
#pragma once

#include <string>
#include <string_view>

namespace util {

std::string html_escape(std::string_view s);

}  // namespace util
