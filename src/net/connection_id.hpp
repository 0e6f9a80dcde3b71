// IDs for the room's connections, WebSocket or polling alike: unique for the
// life of the process, and across a cluster's nodes once the node's base
// (chat/event.hpp: its number in the top bits) is set, before the first
// connection.
#pragma once

#include <atomic>
#include <cstdint>

namespace net {

namespace detail {
inline std::atomic<uint64_t>& connection_id_counter() {
  static std::atomic<uint64_t> next{1};
  return next;
}
}  // namespace detail

inline void set_connection_id_base(uint64_t base) {
  detail::connection_id_counter().store(base + 1, std::memory_order_relaxed);
}

inline uint64_t next_connection_id() {
  return detail::connection_id_counter().fetch_add(1, std::memory_order_relaxed);
}

}  // namespace net
