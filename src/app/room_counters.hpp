// What the room's runner tallies for /metrics. Written by the runner's
// thread once per batch; read by any thread (relaxed: a scrape only needs
// values that were true a moment ago).
#pragma once

#include <atomic>
#include <cstdint>

namespace app {

struct RoomCounters {
  std::atomic<uint64_t> events{0};      // events applied to the room
  std::atomic<uint64_t> batches{0};     // batches they came in
  std::atomic<uint64_t> deliveries{0};  // frames handed to this node's connections
  std::atomic<uint64_t> who_deliveries{0};
  std::atomic<uint64_t> who_bytes{0};
  std::atomic<uint64_t> poll_slow_dropped{0};  // polling sessions whose queue overflowed
  std::atomic<int64_t> users{0};               // signed-in users in the room (every node's)
  std::atomic<int64_t> room_connections{0};    // connections in the room (every node's)
  std::atomic<int64_t> websockets{0};          // this node's WebSocket sessions
  std::atomic<int64_t> polls{0};               // this node's polling sessions

  static void add(std::atomic<uint64_t>& c, uint64_t n) {
    if (n) c.fetch_add(n, std::memory_order_relaxed);
  }
  static void set(std::atomic<int64_t>& g, int64_t v) { g.store(v, std::memory_order_relaxed); }
};

}  // namespace app
