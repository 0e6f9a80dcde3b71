// The generator's one clock and conversions to and from it. Latencies are
// measured against the steady clock on both ends (sender and receiver are the
// same process), so wall-clock jumps cannot skew them.
#pragma once

#include <chrono>
#include <cstdint>

namespace bench {

using Clock = std::chrono::steady_clock;

inline double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

inline Clock::duration to_duration(double secs) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(secs));
}

// Nanoseconds on the steady clock: what a message carries as its send time.
inline uint64_t steady_ns(Clock::time_point t) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

}  // namespace bench
