// /metrics: this node's counters in the Prometheus text exposition format
// (version 0.0.4), rendered from atomics without asking the room's thread,
// so a scrape answers even while the room is busy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/room_counters.hpp"
#include "net/traffic.hpp"

namespace app {

// The cluster's part, when clustering is on.
struct ClusterGauges {
  bool log_connected = false;
  int64_t nodes = 0;           // live nodes seen in the log
  double log_lag_seconds = 0;  // from an entry's append to its application here
  uint64_t entries_applied = 0;
  uint64_t entries_appended = 0;  // by this node
  uint64_t refused = 0;           // events refused while the log was unreachable
};

struct MetricsInput {
  const RoomCounters& room;
  const net::Traffic& traffic;
  uint64_t poll_requests = 0;
  int64_t started_at_s = 0;
  std::optional<ClusterGauges> cluster;
};

std::string render_metrics(const MetricsInput& in);

}  // namespace app
