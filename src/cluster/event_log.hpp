// A room's event log in a Redis Stream, shared by the nodes of a cluster.
// Redis orders the entries; every node reads all of them in that order and
// applies them to its own chat::Room (DESIGN.md: no home-made consensus).
//
// Keys, under the room's prefix P:
//   P:log            the stream; field "e" holds one encoded LogEntry
//   P:nodes          hash: node ID -> its last heartbeat (Redis time, ms)
//   P:names          hash: node name -> its node ID (a restart replaces it)
//   P:node-seq       the counter node IDs are drawn from
//   P:snapshot:ID    a room snapshot as of the stream entry ID (a node's
//                    NodeJoined), for the joining node; expires after 60 s
//
// Threads: a writer (appends, pipelined), a reader (XREAD, blocking) and a
// heartbeat, each with its own connection. `append` may be called from any
// thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <expected>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "chat/event.hpp"
#include "cluster/event_codec.hpp"
#include "cluster/redis.hpp"

namespace cluster {

struct LogOptions {
  RedisAddress redis;
  std::string room = "barertc";
  std::string node_name;
  int64_t max_length = 100'000;
  std::chrono::milliseconds max_age{0};  // 0: trimmed by length only
  std::chrono::milliseconds heartbeat_timeout{5000};
};

// An entry read back from the stream.
struct Applied {
  std::string id;           // its stream ID
  int64_t appended_ms = 0;  // when Redis took it (the ID's time part)
  LogEntry entry;
};

class EventLog {
 public:
  explicit EventLog(LogOptions options);
  ~EventLog();

  // Start-up, before start(): checks Redis's version, draws this node's ID,
  // signs out what a previous run of the same node left in the room, appends
  // NodeJoined and starts the heartbeat (so that nobody reaps this node while
  // it waits for the room's state). The snapshot is the room as of that entry, from a
  // node already there; none when this node is the first.
  struct Joined {
    std::optional<std::string> snapshot;
  };
  std::expected<Joined, std::string> join(int64_t now_ms);
  chat::NodeId node() const { return node_; }

  using OnEntries = std::function<void(std::vector<Applied>)>;
  // This node can no longer follow the room: entries it had not read were
  // trimmed, Redis lost entries or the stream, or the others reaped it. Its
  // copy of the room may differ from theirs from now on; it must start anew.
  using OnLost = std::function<void(const std::string& why)>;
  // Reads the entries after this node's NodeJoined, in order, on the reader
  // thread; `on_lost` is called on the reader or heartbeat thread.
  void start(OnEntries on_entries, OnLost on_lost);
  void stop();
  // After stop(), on a clean shutdown: this node's users leave everyone's
  // list now rather than when its heartbeat runs out.
  void leave(int64_t now_ms);

  // `done(true)` once Redis took the entry, on the writer thread. While Redis
  // is unreachable an entry is refused (`done(false)`), unless `keep`: then
  // it waits and is appended when Redis is back (up to a bound).
  using Done = std::function<void(bool appended)>;
  void append(std::string entry, bool keep, Done done = {});
  // The room as of the stream entry `at` (a NodeJoined), for the node that
  // joined there. The first node to offer it wins.
  void offer_snapshot(const std::string& at, std::string snapshot);

  // For /metrics and /healthz.
  bool connected() const { return connected_.load(std::memory_order_relaxed); }
  int64_t nodes() const { return nodes_.load(std::memory_order_relaxed); }
  uint64_t appended() const { return appended_.load(std::memory_order_relaxed); }
  uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }

 private:
  struct Pending {
    std::string entry;  // encoded, or a snapshot's bytes
    bool keep = false;
    Done done;
    std::string snapshot_at;  // set: a snapshot, not a stream entry
  };
  void write_loop();
  void write_batch(std::vector<Pending>& work);
  void refuse_all(std::vector<Pending>& work);
  void read_loop();
  std::optional<size_t> read_once(Redis& r, std::string& last, bool at_tip);
  bool still_follows(int64_t added, int64_t length, const std::string& last);
  void start_heartbeat();
  void heartbeat_loop();
  bool beat(Redis& r, bool may_reap);
  std::string node_entry(chat::EventBody body, int64_t now_ms) const;
  static std::expected<void, std::string> check_version(Redis& r);
  std::expected<std::string, std::string> wait_snapshot(const std::string& at);
  std::string key(std::string_view suffix) const {
    return options_.room + ":" + std::string(suffix);
  }
  void set_connected(bool up, const std::string& why);
  void lose(const std::string& why);

  LogOptions options_;
  chat::NodeId node_ = 0;
  std::string join_id_;  // the stream ID of this node's NodeJoined
  // The stream's entries-added count as of the last entry read: Redis counts
  // every entry ever added, so more unread ones than the stream holds means
  // some were trimmed before this node read them.
  int64_t read_count_ = 0;
  bool left_ = false;
  Redis writer_redis_;
  OnEntries on_entries_;
  OnLost on_lost_;

  std::mutex mutex_;
  std::string lost_why_;             // set with lost_, for a start() that comes later
  std::condition_variable cv_;       // the writer's
  std::condition_variable beat_cv_;  // the heartbeat's (woken to stop)
  std::vector<Pending> queue_;
  std::deque<Pending> retry_;  // kept entries waiting for Redis
  bool stopping_ = false;

  std::atomic<bool> running_{false};
  std::atomic<bool> lost_{false};
  std::atomic<bool> connected_{true};
  std::atomic<int64_t> nodes_{0};
  std::atomic<uint64_t> appended_{0}, refused_{0};
  std::thread writer_, reader_, heartbeat_;
};

}  // namespace cluster
