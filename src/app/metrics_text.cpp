#include "app/metrics_text.hpp"

#include <fmt/format.h>

namespace app {
namespace {

uint64_t get(const std::atomic<uint64_t>& c) {
  return c.load(std::memory_order_relaxed);
}
int64_t get(const std::atomic<int64_t>& g) {
  return g.load(std::memory_order_relaxed);
}

class Exposition {
 public:
  explicit Exposition(std::string& out) : out_(out) {}

  // One metric family: its HELP and TYPE lines, then its samples.
  Exposition& family(std::string_view name, std::string_view type, std::string_view help) {
    name_ = name;
    fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name,
                   type);
    return *this;
  }
  template <typename T>
  Exposition& sample(T value, std::string_view labels = {}) {
    if (labels.empty()) {
      fmt::format_to(std::back_inserter(out_), "{} {}\n", name_, value);
    } else {
      fmt::format_to(std::back_inserter(out_), "{}{{{}}} {}\n", name_, labels, value);
    }
    return *this;
  }

 private:
  std::string& out_;
  std::string_view name_;
};

void room_metrics(Exposition& m, const MetricsInput& in) {
  const auto& r = in.room;
  m.family("barertc_connections", "gauge", "Client connections open on this node.")
      .sample(get(r.websockets), "transport=\"websocket\"")
      .sample(get(r.polls), "transport=\"polling\"");
  m.family("barertc_room_users", "gauge", "Users signed in to the room, on every node.")
      .sample(get(r.users));
  m.family("barertc_room_connections", "gauge", "Connections known to the room, on every node.")
      .sample(get(r.room_connections));
  m.family("barertc_room_events_total", "counter", "Events applied to this node's room.")
      .sample(get(r.events));
  m.family("barertc_room_batches_total", "counter", "Batches the room's events were applied in.")
      .sample(get(r.batches));
  m.family("barertc_deliveries_total", "counter",
           "Frames handed to this node's connections (one per recipient).")
      .sample(get(r.deliveries));
  m.family("barertc_who_deliveries_total", "counter", "Who lists and who deltas handed out.")
      .sample(get(r.who_deliveries));
  m.family("barertc_who_bytes_total", "counter", "Bytes of the who lists and deltas handed out.")
      .sample(get(r.who_bytes));
}

void traffic_metrics(Exposition& m, const MetricsInput& in) {
  const auto& t = in.traffic;
  m.family("barertc_messages_received_total", "counter",
           "Messages received from clients (WebSocket frames and polling requests).")
      .sample(get(t.frames_in) + in.poll_requests);
  m.family("barertc_received_bytes_total", "counter", "Bytes of WebSocket messages received.")
      .sample(get(t.bytes_in));
  m.family("barertc_messages_sent_total", "counter", "WebSocket frames written to clients.")
      .sample(get(t.frames_out));
  m.family("barertc_sent_bytes_total", "counter", "Bytes written to WebSocket clients.")
      .sample(get(t.bytes_out));
  m.family("barertc_slow_consumers_dropped_total", "counter",
           "Connections dropped because they could not keep up with their messages.")
      .sample(get(t.slow_dropped), "transport=\"websocket\"")
      .sample(get(in.room.poll_slow_dropped), "transport=\"polling\"");
}

void cluster_metrics(Exposition& m, const ClusterGauges& c) {
  m.family("barertc_event_log_connected", "gauge", "1 while this node reaches Redis.")
      .sample(c.log_connected ? 1 : 0);
  m.family("barertc_cluster_nodes", "gauge", "Nodes in the room's event log.").sample(c.nodes);
  m.family("barertc_event_log_lag_seconds", "gauge",
           "Time from an event's append to Redis to its application here (the last one).")
      .sample(c.log_lag_seconds);
  m.family("barertc_event_log_applied_total", "counter", "Event-log entries applied here.")
      .sample(c.entries_applied);
  m.family("barertc_event_log_appended_total", "counter", "Event-log entries this node appended.")
      .sample(c.entries_appended);
  m.family("barertc_event_log_refused_total", "counter",
           "Client actions refused because the event log was unreachable.")
      .sample(c.refused);
}

}  // namespace

std::string render_metrics(const MetricsInput& in) {
  std::string out;
  out.reserve(4096);
  Exposition m(out);
  m.family("barertc_start_time_seconds", "gauge", "When this process started, in Unix seconds.")
      .sample(in.started_at_s);
  m.family("barertc_cluster_enabled", "gauge", "1 when this node is part of a cluster.")
      .sample(in.cluster ? 1 : 0);
  room_metrics(m, in);
  traffic_metrics(m, in);
  if (in.cluster) cluster_metrics(m, *in.cluster);
  return out;
}

}  // namespace app
