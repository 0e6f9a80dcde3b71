// A settings file whose message filters hold a pattern that RE2 cannot
// compile is refused, at start-up and on reload, with an error naming the
// filter: the original logged it and silently filtered less.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/settings.hpp"

namespace config {

// The first such pattern, as that error; nullopt when all compile.
std::optional<std::string> invalid_filter_pattern(const std::vector<MessageFilter>& filters);

}  // namespace config
