// Reading and writing settings.toml the way the original does: the file is
// applied on top of the defaults, a missing file is created, and a file of an
// older Version is upgraded by re-saving it with every key. Unlike the
// original, a list in the file replaces the default list (never appends) and
// the first file is written with the current Version.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

#include "config/settings.hpp"

namespace config {

// Parses TOML text on top of `base`. Errors name the key and the problem.
std::expected<Settings, std::string> parse_settings(std::string_view toml_text, Settings base);

// Serializes every key, in the original's order and style.
std::string to_toml(const Settings& s);

enum class FileAction { kRead, kCreated, kUpgraded };

struct Loaded {
  Settings settings;
  FileAction action = FileAction::kRead;
  int64_t previous_version = kCurrentVersion;
};

// Loads `path` on top of `base`, creating or upgrading the file as needed.
std::expected<Loaded, std::string> load_or_create(const std::filesystem::path& path, Settings base);

}  // namespace config
