// Answers GET and HEAD for the web client's files from memory: the type from
// the name, X-Content-Type-Options: nosniff, an ETag honoured by
// If-None-Match, and the precompressed FILE.gz to clients that accept gzip.
// Request paths are checked segment by segment before any lookup, so no
// spelling of "..", of a separator or of a NUL gets that far.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/static_files.hpp"
#include "net/http_types.hpp"

namespace http {

// The StaticFiles key for the part of a request path after "/static/"
// (raw, as in the request line): "static/" and its percent-decoded segments.
// nullopt when a segment is empty, "." or "..", holds '/', '\' or a control
// byte once decoded, or has a bad escape.
std::optional<std::string> static_key(std::string_view url_path);

// The answer to `req` for `file` (nullptr: there is none, 404). Methods
// other than GET and HEAD get 405.
net::Response serve_static(const net::Request& req, const StaticFile* file);

}  // namespace http
