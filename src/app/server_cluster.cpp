// [Cluster]: joining the room's event log in Redis at start-up.
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "app/server.hpp"
#include "net/connection_id.hpp"

namespace app {
namespace {

std::string default_node_name(const std::string& address) {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  auto port = address.substr(address.rfind(':') + 1);
  return std::string(host[0] ? host : "node") + ":" + port;
}

int64_t heartbeat_s(const config::ClusterSettings& c) {
  return std::max<int64_t>(c.heartbeat_timeout, 1);
}

// A node paused for longer than the age limit misses entries and must start
// anew, so the limit is never shorter than the pause the heartbeat tolerates.
int64_t max_age_s(const config::ClusterSettings& c) {
  if (c.stream_max_age <= 0) return 0;
  return std::max({c.stream_max_age, int64_t{10}, 2 * heartbeat_s(c)});
}

}  // namespace

// Start-up failures throw: the process cannot serve the room without it.
void Server::join_cluster() {
  const auto& c = settings_.get()->cluster;
  auto redis = cluster::parse_redis_url(c.redis_url);
  if (!redis) throw std::runtime_error("[Cluster] RedisURL: " + redis.error());
  cluster::LogOptions o{
      .redis = *redis,
      .room = c.room,
      .node_name = c.node_name.empty() ? default_node_name(local_address()) : c.node_name,
      .max_length = std::max<int64_t>(c.stream_max_length, 1000),
      .max_age = std::chrono::seconds(max_age_s(c)),
      .heartbeat_timeout = std::chrono::seconds(heartbeat_s(c))};
  event_log_ = std::make_unique<cluster::EventLog>(std::move(o));
  auto joined = event_log_->join(unix_ms());
  if (!joined) throw std::runtime_error("[Cluster] joining the room in Redis: " + joined.error());
  net::set_connection_id_base(chat::node_base(event_log_->node()));
  if (auto used = runner_.use_event_log(*event_log_, joined->snapshot); !used) {
    throw std::runtime_error("[Cluster] the room's state from the other nodes: " + used.error());
  }
}

}  // namespace app
