// The current settings, shared by every thread. A reload publishes a new
// immutable Settings; readers keep the one they hold until they are done.
#pragma once

#include <memory>
#include <mutex>

#include "config/settings.hpp"

namespace config {

class SettingsStore {
 public:
  explicit SettingsStore(Settings s) : current_(std::make_shared<const Settings>(std::move(s))) {}

  std::shared_ptr<const Settings> get() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  void set(Settings s) {
    auto next = std::make_shared<const Settings>(std::move(s));
    std::lock_guard lock(mutex_);
    current_ = std::move(next);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Settings> current_;
};

}  // namespace config
