// The Content-Type of a served file, from its name's extension. Browsers
// refuse module scripts and stylesheets of the wrong type (and nosniff makes
// that strict), so the web client's own file kinds must be right here.
#pragma once

#include <string_view>

namespace http {

// A type for `filename` (case-insensitive extension), or
// application/octet-stream for anything unknown.
std::string_view content_type_for(std::string_view filename);

}  // namespace http
