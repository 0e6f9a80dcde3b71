// When each connection's next keep-alive ping is due: every 30 s from the
// moment it connected. Connections are kept in 30 one-second buckets, so a
// tick looks only at the connections due in that second.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "chat/event.hpp"

namespace chat {

class PingSchedule {
 public:
  static constexpr int64_t kIntervalSeconds = 30;

  void add(ConnId conn, int64_t connected_at_seconds);
  // The live connections due since the last call, up to `now_seconds`;
  // connections that are no longer `alive` are dropped from the schedule.
  std::vector<ConnId> due(int64_t now_seconds, const std::function<bool(ConnId)>& alive);

  // Room snapshots (snapshot_codec.hpp) copy the state exactly.
  friend struct SnapshotCodec;

 private:
  struct Entry {
    ConnId conn;
    int64_t since;  // connected at, Unix seconds
  };
  std::array<std::vector<Entry>, kIntervalSeconds> buckets_;
  int64_t last_second_ = -1;
};

}  // namespace chat
