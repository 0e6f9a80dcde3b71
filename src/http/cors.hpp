// Cross-origin access for the JSON API, limited to the exact origins listed
// in CORSHosts. The original only answered /api/statistics and ignored
// preflights; we also answer preflights so the website can POST from a page.
#pragma once

#include "config/settings.hpp"
#include "net/http_types.hpp"

namespace http {

// Adds Access-Control-Allow-Origin when the Origin is listed, and always
// `Vary: Origin` (the answer depends on it).
void apply_cors(const net::Request& req, net::Response& res, const config::Settings& s);

// The answer to an OPTIONS preflight.
net::Response preflight(const net::Request& req, const config::Settings& s);

}  // namespace http
