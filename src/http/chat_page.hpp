// The chat page (`/`): the HTML document that carries the settings and the
// visitor's sign-in state to the browser client as JavaScript constants
// (pages.md §1). Every value is JSON with <, >, & escaped, so nothing from the
// settings or a token can break out of the script element.
#pragma once

#include <optional>
#include <string>

#include "auth/claims.hpp"
#include "config/settings.hpp"

namespace http {

struct PageVisitor {
  std::string token;                    // the raw `jwt` value, "" if none
  std::optional<auth::Claims> claims;   // set when the token is valid
  std::string cached_blocklist = "[]";  // a JSON array
};

// The parts of the built web client there are to load (static/app.js, the
// ES module entry, and static/app.css). Without the script the page says
// that the client is not built.
// The web client's entry files, each named by a version string made from its
// content (empty: the file is absent). The version goes in the URL's query, so
// a browser keeps its cached copy until the file really changes.
struct WebClientAssets {
  std::string script;
  std::string stylesheet;
};

std::string render_chat_page(const config::Settings& s, const PageVisitor& visitor,
                             const std::string& cache_hash, WebClientAssets assets);
std::string render_about_page(const config::Settings& s, std::string_view hostname);
std::string render_logout_page();

// Eight random lowercase letters: the cache buster of the page's assets.
std::string random_cache_hash();

}  // namespace http
