// /metrics and /healthz.
#include "app/metrics_text.hpp"
#include "app/server.hpp"
#include "protocol/json_writer.hpp"

namespace app {

std::string Server::metrics() {
  std::optional<ClusterGauges> cluster;
  if (event_log_) {
    cluster = ClusterGauges{.log_connected = event_log_->connected(),
                            .nodes = event_log_->nodes(),
                            .log_lag_seconds = runner_.log_lag_seconds(),
                            .entries_applied = runner_.log_applied(),
                            .entries_appended = event_log_->appended(),
                            .refused = event_log_->refused()};
  }
  return render_metrics({.room = runner_.counters(),
                         .traffic = traffic_,
                         .poll_requests = poll_requests_.load(std::memory_order_relaxed),
                         .started_at_s = started_at_ms_ / 1000,
                         .cluster = std::move(cluster)});
}

// A load balancer takes a node out of rotation while it answers 503: in a
// cluster, while it cannot reach Redis (its users' actions are refused).
http::Backend::Health Server::health() {
  Health h;
  h.ok = !event_log_ || event_log_->connected();
  protocol::JsonWriter w(h.detail, true);
  w.begin_object().field("status", h.ok ? "ok" : "unavailable");
  w.field("uptimeSeconds", (unix_ms() - started_at_ms_) / 1000);
  w.field("users", runner_.counters().users.load(std::memory_order_relaxed));
  if (event_log_) {
    w.key("cluster").begin_object();
    w.field("node", static_cast<int64_t>(event_log_->node()));
    w.field("redis", event_log_->connected() ? "connected" : "unreachable");
    w.field("nodes", event_log_->nodes());
    w.end_object();
  }
  w.end_object();
  return h;
}

}  // namespace app
