// IDs for the room's connections, WebSocket or polling alike: unique for the
// life of the process.
#pragma once

#include <atomic>
#include <cstdint>

namespace net {

inline uint64_t next_connection_id() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace net
