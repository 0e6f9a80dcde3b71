#include "config/filter_check.hpp"

#include <re2/re2.h>

namespace config {

std::optional<std::string> invalid_filter_pattern(const std::vector<MessageFilter>& filters) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  for (size_t i = 0; i < filters.size(); ++i) {
    for (const auto& p : filters[i].keyword_phrases) {
      re2::RE2 re(p, options);
      if (!re.ok()) {
        return "MessageFilters[" + std::to_string(i) + "].KeywordPhrases: '" + p +
               "' is not a valid regular expression: " + re.error();
      }
    }
  }
  return std::nullopt;
}

}  // namespace config
