// Message filters for the micro-benchmarks: `n` filters of three patterns
// each (the original's template, numbered so that they differ), which
// ordinary chat lines do not match.
#pragma once

#include <string>
#include <vector>

#include "config/settings.hpp"

namespace bench {

inline std::vector<config::MessageFilter> sample_filters(int n) {
  std::vector<config::MessageFilter> out;
  for (int i = 0; i < n; ++i) {
    config::MessageFilter f;
    f.enabled = true;
    const auto k = std::to_string(i);
    f.keyword_phrases = {R"(\bswear)" + k + R"( words\b)", R"(\b(swearing|cursing))" + k + R"(\b)",
                         "suck my" + k + R"( ([^\s]+))"};
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace bench
