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

void EventLog::start(OnEntries on_entries, OnLost on_lost) {
  on_entries_ = std::move(on_entries);
  on_lost_ = std::move(on_lost);
  running_ = true;
  writer_ = std::thread([this] { write_loop(); });
  reader_ = std::thread([this] { read_loop(); });
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
  if (on_lost_) on_lost_(why);
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
  while (running_ && !lost_) {
    if (!r.connected()) {
      if (auto c = r.connect(); !c) {
        std::this_thread::sleep_for(kReconnectPause);
        continue;
      }
    }
    if (!read_once(r, last)) std::this_thread::sleep_for(kReconnectPause);
  }
}

// Each XREAD is preceded by the stream's counts in the same round trip, so a
// gap is seen before anything past it is applied. XREAD's reply:
// [[stream, [[id, [field, value, ...]], ...]]], or nil.
bool EventLog::read_once(Redis& r, std::string& last) {
  const auto stream = key("log");
  const auto count = std::to_string(kReadCount);
  const auto block = std::to_string(kReadBlockMs);
  r.append({"EVAL", script::kCounts, "1", stream});
  r.append({"XREAD", "COUNT", count, "BLOCK", block, "STREAMS", stream, last});
  auto counts = r.reply();
  auto reply = r.reply();
  if (!counts && !r.connected()) return false;
  if (!still_follows(counts, last)) return false;
  if (!reply) return false;
  const redisReply* top = reply->get();
  if (top->type != REDIS_REPLY_ARRAY || top->elements == 0) return true;
  const redisReply* stream_reply = top->element[0];
  if (stream_reply->type != REDIS_REPLY_ARRAY || stream_reply->elements != 2) return false;
  const redisReply* entries = stream_reply->element[1];
  if (entries->type != REDIS_REPLY_ARRAY) return false;
  std::vector<Applied> batch;
  batch.reserve(entries->elements);
  for (size_t i = 0; i < entries->elements; ++i) {
    const redisReply* e = entries->element[i];
    if (e->type != REDIS_REPLY_ARRAY || e->elements != 2) return false;
    last = std::string(reply_str(e->element[0]));
    if (read_count_ >= 0) ++read_count_;
    const redisReply* fields = e->element[1];
    if (fields->type != REDIS_REPLY_ARRAY) continue;  // an entry trimmed meanwhile
    for (size_t f = 0; f + 1 < fields->elements; f += 2) {
      if (reply_str(fields->element[f]) != "e") continue;
      auto entry = decode_entry(reply_str(fields->element[f + 1]));
      if (!entry) {
        spdlog::error("cluster: skipping entry {}: {}", last, entry.error());
        continue;
      }
      batch.push_back({last, id_time(last), std::move(*entry)});
    }
  }
  if (!batch.empty()) on_entries_(std::move(batch));
  return true;
}

// The counts' reply: {entries-added, length}; entries-added is -1 before
// Redis 7, and then nothing is checked.
bool EventLog::still_follows(const std::expected<Reply, std::string>& counts,
                             const std::string& last) {
  std::string why;
  if (!counts) {
    why = "the event log is gone from Redis (" + counts.error() + ")";
  } else if (const redisReply* a = counts->get();
             read_count_ >= 0 && a->type == REDIS_REPLY_ARRAY && a->elements == 2) {
    const int64_t added = reply_int(a->element[0]);
    const int64_t length = reply_int(a->element[1]);
    if (added >= 0 && added < read_count_) {
      why = "Redis holds fewer event-log entries than this node read (restarted without its data?)";
    } else if (added >= 0 && added - read_count_ > length) {
      why = "event-log entries after " + last + " were trimmed before this node read them";
    }
  }
  if (why.empty()) return true;
  lose(why);
  return false;
}

}  // namespace cluster
