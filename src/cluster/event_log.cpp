#include "cluster/event_log.hpp"

#include <spdlog/spdlog.h>

#include "cluster/node_scripts.hpp"

namespace cluster {
namespace {

constexpr auto kCommandTimeout = std::chrono::milliseconds(2000);
constexpr auto kReconnectPause = std::chrono::milliseconds(250);
constexpr int kReadBlockMs = 500;
constexpr int kReadCount = 1024;
// Kept entries (sign-outs, results of side work) waiting for Redis: past
// this many the oldest are dropped, so an outage cannot grow memory forever.
constexpr size_t kMaxRetry = 100'000;

// "1712345678901-3" -> 1712345678901
int64_t id_time(std::string_view id) {
  int64_t ms = 0;
  for (char c : id) {
    if (c < '0' || c > '9') break;
    ms = ms * 10 + (c - '0');
  }
  return ms;
}

}  // namespace

EventLog::EventLog(LogOptions options)
    : options_(std::move(options)), writer_redis_(options_.redis, kCommandTimeout) {}

EventLog::~EventLog() {
  stop();
}

// The heartbeat already runs (join() started it).
void EventLog::start(OnEntries on_entries, OnLost on_lost) {
  on_entries_ = std::move(on_entries);
  std::string lost_why;
  {
    std::lock_guard lock(mutex_);
    on_lost_ = std::move(on_lost);
    lost_why = lost_why_;
  }
  if (lost_) return on_lost_(lost_why);  // reaped while it waited for the room's state
  running_ = true;
  writer_ = std::thread([this] { write_loop(); });
  reader_ = std::thread([this] { read_loop(); });
}

void EventLog::start_heartbeat() {
  if (heartbeat_.joinable()) return;
  running_ = true;
  heartbeat_ = std::thread([this] { heartbeat_loop(); });
}

void EventLog::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  running_ = false;
  cv_.notify_all();
  beat_cv_.notify_all();
  for (auto* t : {&writer_, &reader_, &heartbeat_}) {
    if (t->joinable()) t->join();
  }
}

void EventLog::set_connected(bool up, const std::string& why) {
  if (connected_.exchange(up) == up) return;
  if (up) {
    spdlog::warn("cluster: Redis reachable again: the event log resumes");
  } else {
    spdlog::error(
        "cluster: Redis unreachable ({}): actions of this node's users are refused "
        "until it is back",
        why);
  }
}

void EventLog::lose(const std::string& why) {
  if (lost_.exchange(true)) return;
  spdlog::critical("cluster: this node lost track of the room: {}", why);
  OnLost on_lost;
  {
    std::lock_guard lock(mutex_);
    lost_why_ = why;
    on_lost = on_lost_;
  }
  if (on_lost) on_lost(why);  // else start() calls it
}

void EventLog::append(std::string entry, bool keep, Done done) {
  bool was_empty;
  {
    std::lock_guard lock(mutex_);
    was_empty = queue_.empty();
    queue_.push_back({std::move(entry), keep, std::move(done), {}});
  }
  if (was_empty) cv_.notify_one();
}

void EventLog::offer_snapshot(const std::string& at, std::string snapshot) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(snapshot), false, {}, at});
  }
  cv_.notify_one();
}

void EventLog::write_loop() {
  std::vector<Pending> work;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      // With entries kept for Redis, try again now and then.
      if (retry_.empty()) {
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      } else {
        cv_.wait_for(lock, kReconnectPause, [&] { return stopping_ || !queue_.empty(); });
      }
      if (stopping_) return;
      for (auto& p : retry_) work.push_back(std::move(p));
      retry_.clear();
      for (auto& p : queue_) work.push_back(std::move(p));
      queue_.clear();
    }
    if (!writer_redis_.connected()) {
      if (auto c = writer_redis_.connect(); !c) {
        set_connected(false, c.error());
        refuse_all(work);
        continue;
      }
    }
    write_batch(work);
  }
}

// One pipelined round: every XADD (and snapshot) sent, then every reply read.
void EventLog::write_batch(std::vector<Pending>& work) {
  const auto stream = key("log");
  const auto max_len = std::to_string(options_.max_length);
  for (const auto& p : work) {
    if (!p.snapshot_at.empty()) {
      const auto k = key("snapshot:" + p.snapshot_at);
      writer_redis_.append({"SET", k, p.entry, "NX", "EX", "60"});
    } else {
      writer_redis_.append({"XADD", stream, "MAXLEN", "~", max_len, "*", "e", p.entry});
    }
  }
  std::string error;
  for (size_t i = 0; i < work.size(); ++i) {
    auto r = writer_redis_.reply();
    if (!r && error.empty()) error = r.error();
    if (!r && !writer_redis_.connected()) {
      // The rest were sent or not: nobody can tell. Kept ones go again (a
      // sign-out applied twice does nothing the second time).
      std::vector<Pending> rest(std::make_move_iterator(work.begin() + i),
                                std::make_move_iterator(work.end()));
      work.resize(i);
      set_connected(false, error);
      refuse_all(rest);
      break;
    }
    if (work[i].snapshot_at.empty()) {
      if (r) appended_.fetch_add(1, std::memory_order_relaxed);
      if (work[i].done) work[i].done(r.has_value());
    }
  }
  if (error.empty()) set_connected(true, {});
  work.clear();
}

void EventLog::refuse_all(std::vector<Pending>& work) {
  std::vector<Pending> kept;
  for (auto& p : work) {
    if (p.keep) {
      kept.push_back(std::move(p));
    } else if (p.snapshot_at.empty()) {
      refused_.fetch_add(1, std::memory_order_relaxed);
      if (p.done) p.done(false);
    }
  }
  work.clear();
  std::lock_guard lock(mutex_);
  for (auto& p : kept) retry_.push_back(std::move(p));
  while (retry_.size() > kMaxRetry) retry_.pop_front();
}

void EventLog::read_loop() {
  Redis r(options_.redis, std::chrono::milliseconds(kReadBlockMs) + kCommandTimeout);
  std::string last = join_id_;
  bool at_tip = false;
  while (running_ && !lost_) {
    if (!r.connected()) {
      if (auto c = r.connect(); !c) {
        std::this_thread::sleep_for(kReconnectPause);
        continue;
      }
    }
    auto read = read_once(r, last, at_tip);
    if (!read) {
      std::this_thread::sleep_for(kReconnectPause);
      continue;
    }
    at_tip = *read < static_cast<size_t>(kReadCount);
  }
}

// One round trip. At the stream's tip, XREAD BLOCK first waits for an entry
// after `last` (its reply is only a wake-up); then the read script takes the
// entries and the counts at one instant. The number of entries read, or
// nothing after an error (Redis loading its data, a broken connection: try
// again) or once this node has lost track.
std::optional<size_t> EventLog::read_once(Redis& r, std::string& last, bool at_tip) {
  const auto stream = key("log");
  const auto count = std::to_string(kReadCount);
  const auto block = std::to_string(kReadBlockMs);
  if (at_tip) r.append({"XREAD", "COUNT", "1", "BLOCK", block, "STREAMS", stream, last});
  r.append({"EVAL", script::kRead, "1", stream, last, count});
  if (at_tip) (void)r.reply();  // after a broken connection, the next one fails too
  auto reply = r.reply();
  if (!reply) {
    if (r.connected()) spdlog::warn("cluster: reading the event log: {}", reply.error());
    return std::nullopt;
  }
  const redisReply* a = reply->get();
  if (a->type != REDIS_REPLY_ARRAY || a->elements != 3 ||
      a->element[2]->type != REDIS_REPLY_ARRAY) {
    return std::nullopt;
  }
  if (!still_follows(reply_int(a->element[0]), reply_int(a->element[1]), last)) {
    return std::nullopt;
  }
  const redisReply* entries = a->element[2];
  std::vector<Applied> batch;
  batch.reserve(entries->elements);
  std::string next = last;
  for (size_t i = 0; i < entries->elements; ++i) {
    const redisReply* e = entries->element[i];
    if (e->type != REDIS_REPLY_ARRAY || e->elements != 2) return std::nullopt;
    next = std::string(reply_str(e->element[0]));
    const redisReply* fields = e->element[1];
    for (size_t f = 0; fields->type == REDIS_REPLY_ARRAY && f + 1 < fields->elements; f += 2) {
      if (reply_str(fields->element[f]) != "e") continue;
      auto entry = decode_entry(reply_str(fields->element[f + 1]));
      if (!entry) {
        spdlog::error("cluster: skipping entry {}: {}", next, entry.error());
        continue;
      }
      batch.push_back({next, id_time(next), std::move(*entry)});
    }
  }
  last = std::move(next);
  if (read_count_ >= 0) read_count_ += static_cast<int64_t>(entries->elements);
  if (!batch.empty()) on_entries_(std::move(batch));
  return entries->elements;
}

// `added` is the stream's entries-added count (-1 before Redis 7: nothing to
// check; -2: the stream is gone), `length` its entries now.
bool EventLog::still_follows(int64_t added, int64_t length, const std::string& last) {
  std::string why;
  if (added == -2) {
    why = "the event log is gone from Redis (restarted without its data?)";
  } else if (read_count_ >= 0 && added >= 0 && added < read_count_) {
    why = "Redis holds fewer event-log entries than this node read (restarted without its data?)";
  } else if (read_count_ >= 0 && added >= 0 && added - read_count_ > length) {
    why = "event-log entries after " + last + " were trimmed before this node read them";
  }
  if (why.empty()) return true;
  lose(why);
  return false;
}

}  // namespace cluster
