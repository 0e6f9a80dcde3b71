// Reading settings.toml again while the server runs (`/reconfigure`,
// SIGHUP): the file is applied on top of the current settings, so keys it
// does not hold keep their values, as the original does. A file that does
// not parse changes nothing.
#pragma once

#include <expected>
#include <filesystem>
#include <string>

#include "config/store.hpp"

namespace config {

// Any thread; reloads are serialized. The error names the problem (and the
// line, for a syntax error).
std::expected<void, std::string> reload_settings(SettingsStore& store,
                                                 const std::filesystem::path& path);

}  // namespace config
