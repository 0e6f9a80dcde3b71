// Finding the built browser client (web/dist) at start-up and reading it into
// memory: the -web flag's directory, or the first default place that holds
// the client's entry, static/app.js.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "http/static_files.hpp"

namespace http {

// The running binary's path: /proc/self/exe, else argv[0] made absolute.
std::filesystem::path executable_path(const char* argv0);

// Where to look without -web, in order: next to the binary
// (<exe dir>/../web/dist, which is the source tree's web/dist for
// build/barertc), then ./web/dist and ./dist.
std::vector<std::filesystem::path> default_web_dirs(const std::filesystem::path& exe);

// The files of `dir` (the -web flag) or, when it is empty, of the first of
// `candidates` with a static/app.js; logs which directory is served, or
// warns that there is no web client. Never null.
std::shared_ptr<const StaticFiles> load_web_client(
    const std::string& dir, const std::vector<std::filesystem::path>& candidates);

}  // namespace http
