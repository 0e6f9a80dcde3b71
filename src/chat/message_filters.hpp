// Server-side message filters (`[[MessageFilters]]`, chat.md §5), compiled
// with RE2 once per settings: linear-time matching, so no pattern or message
// can stall the room. Unlike the original, patterns are matched against the
// raw text (censored before it is rendered, so censoring never breaks the
// markup) and the PublicChannels / PrivateChannels flags are honoured.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"

namespace re2 {
class RE2;
}

namespace chat {

class MessageFilters {
 public:
  MessageFilters();
  // Patterns that do not compile are skipped (the settings loader refuses
  // them first: see config/filter_check.hpp).
  explicit MessageFilters(const std::vector<config::MessageFilter>& filters);
  ~MessageFilters();
  MessageFilters(MessageFilters&&) noexcept;
  MessageFilters& operator=(MessageFilters&&) noexcept;

  struct Hit {
    const config::MessageFilter* filter;
    // Censored (each byte of a match an escaped '*', for Markdown) when the
    // filter censors, else the text as it was.
    std::string text;
  };
  // The first enabled filter for this kind of message with a match.
  std::optional<Hit> match(std::string_view text, bool direct) const;
  bool empty() const { return filters_.empty(); }

 private:
  void build_any();
  bool none_can_match(std::string_view text) const;

  struct Compiled {
    config::MessageFilter settings;
    std::vector<std::unique_ptr<re2::RE2>> patterns;
  };
  std::vector<Compiled> filters_;
  // Every pattern at once: most messages match none, and one pass of this
  // tells so (the patterns one by one cost ~140 ns each).
  struct AnyPattern;  // an RE2::Set
  std::unique_ptr<AnyPattern> any_;
};

}  // namespace chat
