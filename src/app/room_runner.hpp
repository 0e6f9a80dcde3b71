// Runs the chat::Room on its own thread. Events from every connection and API
// call are queued in arrival order; the runner applies them in batches, then
// hands each batch's frames to the connections' outboxes (one registry lock
// per batch) and asks each I/O loop once to flush the connections it touched.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/poll_session.hpp"
#include "app/room_counters.hpp"
#include "chat/room.hpp"
#include "cluster/event_log.hpp"
#include "config/store.hpp"
#include "media/picture_worker.hpp"
#include "net/ws_session.hpp"
#include "store/ban_store.hpp"
#include "store/chat_log_writer.hpp"
#include "store/history_store.hpp"

namespace app {

struct QueuedEvent {
  chat::EventBody body;
  std::shared_ptr<net::WsSession> from;       // credited back once processed
  std::function<void(std::string)> on_reply;  // for queries
  // Cluster: called instead of the default refusal (room_runner_cluster.cpp)
  // when the event log cannot take the event.
  std::function<void()> on_refused;

  // Read back from the cluster's event log.
  bool logged = false;
  int64_t now_ms = 0;  // the origin's clock (0: now)
  std::string log_id;
  int64_t appended_ms = 0;
  bool snapshot_for = false;  // another node joined here: send it the room's state
};

class RoomRunner {
 public:
  // What the room asks of the server; called on the runner's thread.
  struct Hooks {
    // The room has told everybody it is going down (`/shutdown`, `/api/shutdown`).
    std::function<void()> shutdown;
    // An operator asked for settings.toml to be read again: answer with a
    // ReloadDone event (none for 0: an operator on another node of the
    // cluster asked).
    std::function<void(chat::ConnId)> reload;
    // A report for the website's report webhook; a user's own report is
    // answered with a ReportSent event.
    std::function<void(chat::Report)> report;
  };
  RoomRunner(const config::SettingsStore& settings, chat::RoomOptions options, Hooks hooks = {});
  ~RoomRunner();

  // Before start(): the room gets the bans saved there, and saves its
  // changes there.
  void use_ban_store(store::BanStore& bans, int64_t now_ms);
  // Before start(): DMs are kept there, and takebacks delete them.
  void use_history_store(store::HistoryStore& history);
  // Before start(): [Logging] lines are appended there.
  void use_chat_logs(store::ChatLogWriter& logs) { chat_logs_ = &logs; }
  // Before start(): pictures are processed there.
  void use_pictures(media::PictureWorker& pictures) { pictures_ = &pictures; }
  // Before start(), in a cluster: the room's events go through this log and
  // are applied as they come back from it. `snapshot`: the room's state as
  // of this node's entry in the log (none: this node starts the room).
  std::expected<void, std::string> use_event_log(cluster::EventLog& log,
                                                 const std::optional<std::string>& snapshot);
  void start();
  void stop();
  void post(QueuedEvent e);

  void add_session(const std::shared_ptr<net::WsSession>& s);
  void remove_session(uint64_t id);
  // Polling clients (their frames wait in the session for the next poll).
  void add_poll(const std::shared_ptr<PollSession>& s);
  void remove_poll(chat::ConnId id);

  const RoomCounters& counters() const { return counters_; }
  // Cluster: the last entry's time from its append to its application here.
  double log_lag_seconds() const { return log_lag_us_.load(std::memory_order_relaxed) / 1e6; }
  uint64_t log_applied() const { return log_applied_.load(std::memory_order_relaxed); }

 private:
  void loop();
  void enqueue(std::span<QueuedEvent> events);
  void apply(std::vector<QueuedEvent>& batch);
  void register_reply(QueuedEvent& e);
  // The reply callback registered for `req`, removed; none when it is another node's.
  std::function<void(std::string)> take_reply(chat::RequestId req);
  void finish_batch(std::vector<QueuedEvent>& batch, size_t start, size_t end);
  bool is_local(chat::ConnId id) const { return chat::node_of(id) == node_; }
  // The cluster's side (room_runner_cluster.cpp).
  void append_to_log(QueuedEvent e);
  struct Refused;
  void refuse(const Refused& r, chat::RequestId req);
  void from_log(std::vector<cluster::Applied> entries);
  void on_logged(QueuedEvent& e);
  [[noreturn]] void exit_to_start_anew(const std::string& why);
  void send_direct(chat::ConnId to, protocol::Frame frame, bool close);
  void dispatch(chat::Output& out);
  void deliver(chat::Output& out);
  void write_history(chat::Output& out);
  void return_memory();

  const config::SettingsStore& settings_;
  chat::Room room_;
  cluster::EventLog* log_ = nullptr;
  chat::NodeId node_ = 0;
  Hooks hooks_;
  store::BanStore* ban_store_ = nullptr;
  store::HistoryStore* history_ = nullptr;
  store::ChatLogWriter* chat_logs_ = nullptr;
  media::PictureWorker* pictures_ = nullptr;
  std::shared_ptr<const config::Settings> room_settings_;

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::vector<QueuedEvent> queue_;
  bool stopping_ = false;
  std::thread thread_;

  std::mutex sessions_mutex_;
  std::unordered_map<uint64_t, std::shared_ptr<net::WsSession>> sessions_;
  std::unordered_map<chat::ConnId, std::shared_ptr<PollSession>> polls_;

  RoomCounters counters_;

  // Runner thread only.
  std::chrono::steady_clock::time_point wake_ = std::chrono::steady_clock::time_point::max();
  std::atomic<chat::RequestId> next_request_{1};
  bool busy_ = false;  // events came in since the last second
  int quiet_seconds_ = 0;
  std::mutex replies_mutex_;  // cluster: replies are registered as events are posted
  std::unordered_map<chat::RequestId, std::function<void(std::string)>> replies_;
  // Cluster: the pictures of `file` messages on their way through the log
  // (which does not carry them), per connection in order.
  std::mutex pictures_mutex_;
  std::unordered_map<chat::ConnId, std::deque<std::shared_ptr<const std::string>>> in_transit_;
  std::atomic<int64_t> log_lag_us_{0};
  std::atomic<uint64_t> log_applied_{0};
};

int64_t unix_ms();

}  // namespace app
