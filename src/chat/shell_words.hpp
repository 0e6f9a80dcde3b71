// Splits an operator command line into words the way a POSIX shell would,
// without any expansion: whitespace separates, '...' and "..." quote, a
// backslash escapes the next character (inside double quotes, only \ " $ `
// and a newline). `/kick "user 2"` is two words.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat {

// nullopt for an unterminated quote or a trailing backslash.
std::optional<std::vector<std::string>> split_shell_words(std::string_view line);

}  // namespace chat
