#include "config/reload.hpp"

#include <mutex>

#include "config/loader.hpp"

namespace config {

std::expected<void, std::string> reload_settings(SettingsStore& store,
                                                 const std::filesystem::path& path) {
  static std::mutex one_at_a_time;
  std::lock_guard lock(one_at_a_time);
  auto loaded = load_or_create(path, *store.get());
  if (!loaded) return std::unexpected(loaded.error());
  store.set(std::move(loaded->settings));
  return {};
}

}  // namespace config
