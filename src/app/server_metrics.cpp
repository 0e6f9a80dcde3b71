// /metrics and /healthz.
#include "app/metrics_text.hpp"
#include "app/server.hpp"
#include "protocol/json_writer.hpp"

namespace app {

std::string Server::metrics() {
  return render_metrics({.room = runner_.counters(),
                         .traffic = traffic_,
                         .poll_requests = poll_requests_.load(std::memory_order_relaxed),
                         .started_at_s = started_at_ms_ / 1000});
}

http::Backend::Health Server::health() {
  Health h;
  protocol::JsonWriter w(h.detail, true);
  w.begin_object().field("status", "ok");
  w.field("uptimeSeconds", (unix_ms() - started_at_ms_) / 1000);
  w.field("users", runner_.counters().users.load(std::memory_order_relaxed));
  w.end_object();
  return h;
}

}  // namespace app
