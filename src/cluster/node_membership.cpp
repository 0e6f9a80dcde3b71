// Joining the room's log, heartbeats, and signing out the users of nodes
// that stopped beating.
#include <spdlog/spdlog.h>

#include <charconv>

#include "cluster/event_log.hpp"
#include "cluster/node_scripts.hpp"

namespace cluster {
namespace {

constexpr chat::NodeId kMaxNode = (1u << (64 - chat::kNodeShift)) - 1;
constexpr auto kSnapshotWait = std::chrono::seconds(5);
constexpr int kJoinAttempts = 3;

}  // namespace

// Streams' entries-added count (the gap check) came with Redis 7.0.
std::expected<void, std::string> EventLog::check_version(Redis& r) {
  auto info = r.command({"INFO", "server"});
  if (!info) return std::unexpected(info.error());
  const auto text = reply_str(info->get());
  constexpr std::string_view kField = "redis_version:";
  const auto at = text.find(kField);
  if (at == text.npos) return {};  // a Redis-compatible server that does not say: try it
  const auto version = text.substr(at + kField.size(), text.find('\r', at) - at - kField.size());
  int major = 0;
  std::from_chars(version.data(), version.data() + version.size(), major);
  if (major < 7) {
    return std::unexpected("Redis " + std::string(version) + " is too old: 7.0 or later is needed");
  }
  return {};
}

std::string EventLog::node_entry(chat::EventBody body, int64_t now_ms) const {
  std::string out;
  encode_entry({node_, {now_ms, std::move(body)}}, out);
  return out;
}

std::expected<EventLog::Joined, std::string> EventLog::join(int64_t now_ms) {
  auto& r = writer_redis_;
  if (auto c = r.connect(); !c) return std::unexpected(c.error());
  if (auto v = check_version(r); !v) return std::unexpected(v.error());
  auto seq = r.command({"INCR", key("node-seq")});
  if (!seq) return std::unexpected(seq.error());
  node_ = static_cast<chat::NodeId>((reply_int(seq->get()) - 1) % kMaxNode + 1);
  const auto me = std::to_string(node_);
  const auto timeout = std::to_string(options_.heartbeat_timeout.count());
  const auto max_len = std::to_string(options_.max_length);

  // A previous run of this node is gone: its users leave now, not after its
  // heartbeat runs out.
  auto old = r.command({"HGET", key("names"), options_.node_name});
  if (!old) return std::unexpected(old.error());
  if (auto prev = reply_int(old->get()); prev > 0 && prev != node_) {
    const auto gone = node_entry(chat::NodeLeft{static_cast<chat::NodeId>(prev)}, now_ms);
    const auto prev_id = std::to_string(prev);
    r.command({"XADD", key("log"), "MAXLEN", "~", max_len, "*", "e", gone});
    r.command({"HDEL", key("nodes"), prev_id});
  }
  if (auto set = r.command({"HSET", key("names"), options_.node_name, me}); !set) {
    return std::unexpected(set.error());
  }

  const auto joined = node_entry(chat::NodeJoined{node_, options_.node_name}, now_ms);
  std::string last_error;
  for (int attempt = 0; attempt < kJoinAttempts; ++attempt) {
    auto j = r.command(
        {"EVAL", script::kJoin, "2", key("nodes"), key("log"), me, timeout, joined, max_len});
    if (!j) return std::unexpected(j.error());
    const redisReply* a = j->get();
    if (a->type != REDIS_REPLY_ARRAY || a->elements != 3) return std::unexpected("bad join reply");
    join_id_ = std::string(reply_str(a->element[0]));
    read_count_ = reply_int(a->element[2]);
    start_heartbeat();
    if (reply_int(a->element[1]) == 0) {
      spdlog::info("cluster: node {} ({}) starts the room {}", node_, options_.node_name,
                   options_.room);
      return Joined{};
    }
    auto snapshot = wait_snapshot(join_id_);
    if (snapshot) {
      spdlog::info("cluster: node {} ({}) joined the room {} at {} ({} bytes of state)", node_,
                   options_.node_name, options_.room, join_id_, snapshot->size());
      return Joined{std::move(*snapshot)};
    }
    last_error = snapshot.error();
    spdlog::warn("cluster: {}; trying again", last_error);
  }
  return std::unexpected(last_error);
}

void EventLog::leave(int64_t now_ms) {
  if (node_ == 0 || left_) return;
  left_ = true;
  auto& r = writer_redis_;
  const auto gone = node_entry(chat::NodeLeft{node_}, now_ms);
  const auto max_len = std::to_string(options_.max_length);
  if (auto x = r.command({"XADD", key("log"), "MAXLEN", "~", max_len, "*", "e", gone}); !x) {
    spdlog::warn("cluster: could not sign this node's users out: {}", x.error());
    return;
  }
  r.command({"HDEL", key("nodes"), std::to_string(node_)});
  spdlog::info("cluster: node {} left the room", node_);
}

std::expected<std::string, std::string> EventLog::wait_snapshot(const std::string& at) {
  const auto k = key("snapshot:" + at);
  const auto deadline = std::chrono::steady_clock::now() + kSnapshotWait;
  while (std::chrono::steady_clock::now() < deadline) {
    auto got = writer_redis_.command({"GET", k});
    if (!got) return std::unexpected(got.error());
    if ((*got)->type == REDIS_REPLY_STRING) {
      std::string snapshot(reply_str(got->get()));
      writer_redis_.command({"DEL", k});
      return snapshot;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::unexpected("no node sent the room's state within 5 s");
}

void EventLog::heartbeat_loop() {
  const auto period = std::max(options_.heartbeat_timeout / 5, std::chrono::milliseconds(100));
  Redis r(options_.redis, std::chrono::milliseconds(2000));
  // After (re)connecting, every node's heartbeat may be old (Redis was away
  // for all): reap only once the live ones had time to beat again.
  auto reap_from = std::chrono::steady_clock::now() + options_.heartbeat_timeout;
  while (running_) {
    if (!r.connected()) {
      if (auto c = r.connect(); !c) {
        set_connected(false, c.error());
        std::unique_lock lock(mutex_);
        beat_cv_.wait_for(lock, period, [&] { return stopping_; });
        continue;
      }
      reap_from = std::chrono::steady_clock::now() + options_.heartbeat_timeout;
    }
    // A beat refused (Redis still loading its data after a restart) starts
    // the wait again: the others may not have beaten since either.
    if (!beat(r, std::chrono::steady_clock::now() >= reap_from)) {
      reap_from = std::chrono::steady_clock::now() + options_.heartbeat_timeout;
    }
    if (!r.connected()) continue;  // a stale connection: try a new one at once
    std::unique_lock lock(mutex_);
    beat_cv_.wait_for(lock, period, [&] { return stopping_; });
  }
}

// False when Redis did not take the beat.
bool EventLog::beat(Redis& r, bool may_reap) {
  const auto me = std::to_string(node_);
  const auto timeout = std::to_string(options_.heartbeat_timeout.count());
  const auto max_age = std::to_string(options_.max_age.count());
  auto b = r.command({"EVAL", script::kBeat, "2", key("nodes"), key("log"), me, timeout, max_age});
  // The heartbeat is what notices Redis coming back when nobody writes.
  set_connected(b.has_value(), b ? std::string() : b.error());
  if (!b) return false;
  const redisReply* a = b->get();
  if (a->type != REDIS_REPLY_ARRAY || a->elements != 2) return false;
  if (reply_int(a->element[0]) < 0) {
    lose("it is no longer in Redis's list of nodes (reaped, or Redis lost its data)");
    return true;
  }
  nodes_.store(reply_int(a->element[0]), std::memory_order_relaxed);
  if (!may_reap) return true;
  const auto max_len = std::to_string(options_.max_length);
  const redisReply* stale = a->element[1];
  for (size_t i = 0; i < stale->elements; ++i) {
    const auto id = std::string(reply_str(stale->element[i]));
    const auto node = static_cast<chat::NodeId>(reply_int(stale->element[i]));
    if (node == node_ || node == 0) continue;
    const auto entry = node_entry(chat::NodeLeft{node}, 0);
    auto reaped = r.command(
        {"EVAL", script::kReap, "2", key("nodes"), key("log"), id, timeout, entry, max_len});
    if (reaped && reply_int(reaped->get()) == 1) {
      spdlog::warn("cluster: node {} stopped beating: its users are signed out", node);
    }
  }
  return true;
}

}  // namespace cluster
