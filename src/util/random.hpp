// Random lowercase letters, for tokens that need to be unpredictable enough
// but not secret (a cache buster, an openSecret).
#pragma once

#include <random>
#include <string>

namespace util {

inline std::string random_letters(size_t n) {
  thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_int_distribution<int> letter('a', 'z');
  std::string out(n, 'a');
  for (auto& c : out) c = static_cast<char>(letter(rng));
  return out;
}

}  // namespace util
