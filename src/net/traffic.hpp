// Counters of what the connections of one process send and receive, for
// /metrics. Relaxed atomics: each is a tally read now and then, never used
// to order anything. Sessions add once per read frame or gathered write.
#pragma once

#include <atomic>
#include <cstdint>

namespace net {

struct Traffic {
  std::atomic<uint64_t> frames_in{0};  // complete messages read from clients
  std::atomic<uint64_t> bytes_in{0};
  std::atomic<uint64_t> frames_out{0};  // frames taken from outboxes to be written
  std::atomic<uint64_t> bytes_out{0};
  // Connections dropped because they could not keep up (outbox full, or a
  // write that timed out).
  std::atomic<uint64_t> slow_dropped{0};

  static void add(std::atomic<uint64_t>& counter, uint64_t n) {
    counter.fetch_add(n, std::memory_order_relaxed);
  }
};

}  // namespace net
