#include "app/room_runner.hpp"

#include <boost/asio/execution/context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/query.hpp>

#include <malloc.h>

#include <algorithm>
#include <chrono>

namespace app {

namespace asio = boost::asio;

namespace {
// Enough to coalesce a join storm, small enough to keep latency low.
constexpr size_t kMaxBatch = 1024;
}  // namespace

int64_t unix_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

RoomRunner::RoomRunner(const config::SettingsStore& settings, chat::RoomOptions options,
                       Hooks hooks)
    : settings_(settings),
      room_(settings.get(), options),
      hooks_(std::move(hooks)),
      room_settings_(settings.get()) {}

RoomRunner::~RoomRunner() {
  stop();
}

void RoomRunner::use_ban_store(store::BanStore& bans, int64_t now_ms) {
  room_.restore_bans(bans.load(now_ms));
  ban_store_ = &bans;
}

void RoomRunner::use_history_store(store::HistoryStore& history) {
  room_.enable_history(history.max_message_id());
  history_ = &history;
}

void RoomRunner::start() {
  thread_ = std::thread([this] { loop(); });
  if (log_) {
    log_->start([this](std::vector<cluster::Applied> e) { from_log(std::move(e)); },
                [this](const std::string& why) { exit_to_start_anew(why); });
  }
}

void RoomRunner::stop() {
  if (log_) log_->stop();
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void RoomRunner::post(QueuedEvent e) {
  if (log_ && !e.logged && !chat::is_query(e.body)) return append_to_log(std::move(e));
  enqueue({&e, 1});
}

void RoomRunner::enqueue(std::span<QueuedEvent> events) {
  bool was_empty;
  {
    std::lock_guard lock(queue_mutex_);
    was_empty = queue_.empty();
    for (auto& e : events) queue_.push_back(std::move(e));
  }
  if (was_empty) queue_cv_.notify_one();
}

void RoomRunner::add_session(const std::shared_ptr<net::WsSession>& s) {
  std::lock_guard lock(sessions_mutex_);
  sessions_[s->id()] = s;
  RoomCounters::set(counters_.websockets, static_cast<int64_t>(sessions_.size()));
}

void RoomRunner::remove_session(uint64_t id) {
  std::lock_guard lock(sessions_mutex_);
  sessions_.erase(id);
  RoomCounters::set(counters_.websockets, static_cast<int64_t>(sessions_.size()));
}

void RoomRunner::add_poll(const std::shared_ptr<PollSession>& s) {
  std::lock_guard lock(sessions_mutex_);
  polls_[s->conn()] = s;
  RoomCounters::set(counters_.polls, static_cast<int64_t>(polls_.size()));
}

void RoomRunner::remove_poll(chat::ConnId id) {
  std::lock_guard lock(sessions_mutex_);
  polls_.erase(id);
  RoomCounters::set(counters_.polls, static_cast<int64_t>(polls_.size()));
}

void RoomRunner::loop() {
  using namespace std::chrono;
  std::vector<QueuedEvent> batch;
  auto next_tick = steady_clock::now() + seconds(1);
  for (;;) {
    const auto wake = std::min(next_tick, wake_);
    {
      std::unique_lock lock(queue_mutex_);
      queue_cv_.wait_until(lock, wake, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      batch.swap(queue_);
    }
    busy_ |= !batch.empty();
    const auto now = steady_clock::now();
    if (now >= wake) {
      // In a cluster, time passes in the log, so that every node's room
      // sees the same ticks.
      if (log_) {
        // (Not while Redis is away: a tick cannot wait, and is no user's
        // action to refuse.)
        if (log_->connected()) post({chat::Tick{}});
      } else {
        batch.push_back({chat::Tick{}});
      }
    }
    if (now >= wake_) wake_ = steady_clock::time_point::max();
    const bool second_passed = now >= next_tick;
    if (second_passed) {
      next_tick += seconds(1);
      if (next_tick < now) next_tick = now + seconds(1);
    }
    apply(batch);
    if (second_passed) return_memory();
    batch.clear();
  }
}

// After a burst (a join storm, big who lists) the freed buffers stay in the
// allocator's heaps; trimming once things calm down gives them back.
void RoomRunner::return_memory() {
  if (busy_) {
    busy_ = false;
    quiet_seconds_ = 0;
    return;
  }
  if (++quiet_seconds_ == 2) {
    room_.release_memory();
    malloc_trim(0);
  }
}

void RoomRunner::apply(std::vector<QueuedEvent>& batch) {
  if (auto s = settings_.get(); s != room_settings_) {
    room_settings_ = s;
    room_.set_settings(std::move(s));
  }
  size_t start = 0;
  while (start < batch.size()) {
    size_t end = start;
    const int64_t now = unix_ms();
    // A batch ends early after a node joined: its snapshot is the room as of
    // that entry, so nothing after it may be in the room yet.
    while (end < batch.size() && end - start < kMaxBatch) {
      auto& e = batch[end++];
      if (e.on_reply) register_reply(e);
      if (e.logged) on_logged(e);
      room_.handle({e.now_ms ? e.now_ms : now, std::move(e.body)});
      if (e.snapshot_for) break;
    }
    finish_batch(batch, start, end);
    if (batch[end - 1].snapshot_for) log_->offer_snapshot(batch[end - 1].log_id, room_.snapshot());
    start = end;
  }
}

void RoomRunner::register_reply(QueuedEvent& e) {
  const auto id = next_request_++;
  std::visit(
      [id](auto& body) {
        if constexpr (requires { body.req; }) body.req = id;
      },
      e.body);
  std::lock_guard lock(replies_mutex_);
  replies_[id] = std::move(e.on_reply);
}

void RoomRunner::finish_batch(std::vector<QueuedEvent>& batch, size_t start, size_t end) {
  auto out = room_.finish_batch();
  RoomCounters::add(counters_.events, end - start);
  RoomCounters::add(counters_.batches, 1);
  RoomCounters::set(counters_.users, static_cast<int64_t>(room_.user_count()));
  RoomCounters::set(counters_.room_connections, static_cast<int64_t>(room_.connection_count()));
  if (out.wake_at_ms) {
    // The room wants a Tick then (a deferred who-list round).
    const auto in = std::chrono::milliseconds(std::max<int64_t>(0, out.wake_at_ms - unix_ms()));
    wake_ = std::min(wake_, std::chrono::steady_clock::now() + in);
  }
  dispatch(out);
  for (size_t i = start; i < end; ++i) {
    if (batch[i].from) batch[i].from->message_done();
  }
}

void RoomRunner::dispatch(chat::Output& out) {
  if (out.shutdown && hooks_.shutdown) hooks_.shutdown();
  if (hooks_.reload) {
    // In a cluster every node reads its own file, so that all keep the same
    // settings; only the operator's node answers.
    for (chat::ConnId op : out.reloads) hooks_.reload(is_local(op) ? op : 0);
  }
  if (hooks_.report) {
    for (auto& r : out.reports) {
      if (is_local(r.cause)) hooks_.report(std::move(r));
    }
  }
  if (ban_store_) ban_store_->apply(std::move(out.ban_changes));
  if (history_) write_history(out);
  if (chat_logs_) chat_logs_->write(std::move(out.log_lines));
  if (pictures_) {
    for (auto& job : out.pictures) {
      if (!is_local(job.conn)) continue;
      pictures_->submit(std::move(job), [this](chat::PictureReady r) { post({std::move(r)}); });
    }
  }
  deliver(out);
  for (auto& r : out.replies) {
    if (auto reply = take_reply(r.req)) reply(std::move(r.body));  // else another node's
  }
}

std::function<void(std::string)> RoomRunner::take_reply(chat::RequestId req) {
  std::lock_guard lock(replies_mutex_);
  auto it = replies_.find(req);
  if (it == replies_.end()) return {};
  auto reply = std::move(it->second);
  replies_.erase(it);
  return reply;
}

void RoomRunner::deliver(chat::Output& out) {
  // Sessions to flush, grouped by their I/O loop.
  std::vector<std::pair<asio::execution_context*, std::vector<std::shared_ptr<net::WsSession>>>>
      flushes;
  auto flush_later = [&](const std::shared_ptr<net::WsSession>& s) {
    auto* ctx = &asio::query(s->executor(), asio::execution::context);
    for (auto& [c, list] : flushes) {
      if (c == ctx) return list.push_back(s);
    }
    flushes.push_back({ctx, {s}});
  };
  std::vector<chat::ConnId> too_slow;  // polling clients whose queue overflowed
  uint64_t delivered = 0, who = 0, who_bytes = 0;
  {
    std::lock_guard lock(sessions_mutex_);
    for (auto& d : out.deliveries) {
      if (!d.frame) continue;
      const size_t size = d.frame.wire_size();
      if (auto it = sessions_.find(d.to); it != sessions_.end()) {
        if (it->second->enqueue(std::move(d.frame), d.snapshot)) flush_later(it->second);
      } else if (auto p = polls_.find(d.to); p != polls_.end()) {
        if (!p->second->enqueue(std::move(d.frame), d.snapshot)) too_slow.push_back(d.to);
      } else {
        continue;
      }
      ++delivered;
      if (d.who) ++who, who_bytes += size;
    }
    for (auto& c : out.closes) {
      if (auto it = sessions_.find(c.conn); it != sessions_.end()) {
        it->second->close(c.code, c.reason, std::chrono::milliseconds(c.delay_ms));
      } else if (auto p = polls_.find(c.conn); p != polls_.end()) {
        p->second->close();
      }
    }
  }
  for (auto& [ctx, list] : flushes) {
    auto ex = list.front()->executor();
    asio::post(ex, [list = std::move(list)] {
      for (const auto& s : list) s->flush();
    });
  }
  RoomCounters::add(counters_.deliveries, delivered);
  RoomCounters::add(counters_.who_deliveries, who);
  RoomCounters::add(counters_.who_bytes, who_bytes);
  std::sort(too_slow.begin(), too_slow.end());
  too_slow.erase(std::unique(too_slow.begin(), too_slow.end()), too_slow.end());
  RoomCounters::add(counters_.poll_slow_dropped, too_slow.size());
  // Out of the room, as a WebSocket client that stops reading is.
  for (auto id : too_slow) post({chat::Disconnected{id}});
}

void RoomRunner::write_history(chat::Output& out) {
  for (auto& w : out.history_writes) {
    auto thread = store::HistoryStore::thread_id(w.sender, w.recipient);
    history_->store(w.msg_id, std::move(thread), std::move(w.sender), std::move(w.html), w.at_s);
  }
  for (auto& t : out.history_takebacks) {
    std::function<void(bool)> done;
    if (t.answer_to && is_local(*t.answer_to)) {
      done = [this, conn = *t.answer_to, id = t.msg_id](bool deleted) {
        post({chat::TakebackChecked{conn, id, deleted}});
      };
    }
    history_->take_back(t.msg_id, std::move(t.owner), std::move(done));
  }
}

}  // namespace app
