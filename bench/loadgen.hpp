// The core of the load generator, shared by every scenario: N WebSocket
// connections to one server, their logins, what is counted from the frames
// they receive (who lists, `me`), the server's CPU and memory, the log and
// the report. A scenario is a coroutine that drives it and sees every frame
// through a Tap.
//
// Single-threaded: one io_context run by one thread, so that the generator
// leaves as much of the machine as possible to the server; its own CPU time
// is reported.
#pragma once

#include <utility>  // std::exchange, used by Boost 1.74 awaitable.hpp

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clock.hpp"
#include "options.hpp"
#include "report.hpp"
#include "stats.hpp"
#include "usage.hpp"
#include "ws_client.hpp"

namespace bench {

namespace asio = boost::asio;

// One simulated user: connection i is user i, named username(i).
struct User {
  bool opened = false;  // the handshake completed
  bool login_sent = false;
  bool dropped = false;  // closed after the handshake
  bool me = false;       // got its `me` (logged in)
  bool full = false;     // saw a who list with every expected user
  uint32_t who_last = 0;
  // The longest list seen: the original sends concurrent joins' lists in any
  // order, so the last one can be older than an earlier one.
  uint32_t who_max = 0;
  uint32_t inflight = 0;  // fanout-max: own messages not yet back
  uint64_t seq = 0;
  Clock::time_point full_at{};
};

// What is counted during a measurement window.
struct Counters {
  uint64_t deliveries = 0;
  uint64_t unmarked = 0;  // message frames without our marker
  uint64_t who_frames = 0;
  uint64_t who_bytes = 0;
  uint64_t other_frames = 0;
  uint64_t drops = 0;
  LatencyHistogram latency;
  Clock::time_point last_delivery{};
  Clock::time_point last_who{};
  Clock::time_point last_me{};
  Clock::time_point last_full{};
  Clock::time_point last_frame{};
};

// What a scenario adds to the core's handling of connection events.
class Tap {
 public:
  // Every text frame of connection i, after the core counted it.
  virtual void on_frame(uint32_t /*i*/, std::string_view /*action*/, std::string_view /*payload*/,
                        Clock::time_point /*now*/) {}
  // Connection i was closed by the server after its handshake.
  virtual void on_drop(uint32_t /*i*/) {}

 protected:
  ~Tap() = default;
};

class Loadgen final : public ConnectionHandler {
 public:
  using Scenario = std::function<asio::awaitable<int>(Loadgen&)>;

  explicit Loadgen(Options o);

  // Runs `scenario` to its end; returns its exit status (1 if it threw).
  int run(const Scenario& scenario);

  // ConnectionHandler
  void on_open(Connection& c) override;
  void on_text(Connection& c, std::string_view p, Clock::time_point now) override;
  void on_closed(Connection& c, std::string_view why, int close_code) override;

  // --- for scenarios ---------------------------------------------------------
  const Options& opt() const { return opt_; }
  // Receives every frame until reset (nullptr); see TapScope.
  void set_tap(Tap* tap) { tap_ = tap; }
  std::vector<User>& users() { return users_; }
  const std::vector<User>& users() const { return users_; }
  Connection& conn(size_t i) { return *conns_[i]; }
  Counters& counters() { return n_; }
  Clock::time_point started() const { return started_; }

  // Totals since the start (not reset by reset_counters).
  size_t opened() const { return opened_; }
  size_t dropped() const { return dropped_; }
  size_t logged_in() const { return logged_in_; }
  size_t logins_sent() const { return logins_sent_; }
  size_t full() const { return full_; }
  size_t alive() const { return opened_ - dropped_; }
  // Close reasons (close code and text) of the drops since reset_counters().
  const std::map<std::string, size_t>& drop_reasons() const { return drop_reasons_; }

  // A who list with this many entries makes its user `full`.
  void set_who_target(uint32_t n) { who_target_ = n; }
  // Counting who entries costs a pass over every list: off when lists are
  // big and many (who-toggle).
  void set_count_entries(bool on) { count_entries_ = on; }
  // A new measurement window: counters and drop reasons start from zero.
  void reset_counters();

  Usage usage_now() const { return read_usage(opt_.pids, opt_.aux_pids); }
  // Which of the --port servers connection i goes to.
  size_t server_of(size_t i) const { return i % servers_.size(); }
  size_t server_count() const { return servers_.size(); }
  // Every server process is still there.
  bool server_alive() const;

  asio::awaitable<void> sleep_for(Clock::duration d);
  // Polls `pred` every `poll` until it holds (true) or `deadline` (false).
  template <class Pred>
  asio::awaitable<bool> wait_until(Pred pred, Clock::time_point deadline,
                                   Clock::duration poll = std::chrono::milliseconds(5)) {
    while (!pred()) {
      if (Clock::now() >= deadline) co_return false;
      co_await sleep_for(poll);
    }
    co_return true;
  }
  asio::awaitable<void> wait_server_idle();
  asio::awaitable<void> wait_min_uptime();

  // Opens `n` connections (handshake only), at most --connect-concurrency at
  // a time. Returns the seconds it took.
  asio::awaitable<double> connect_all(size_t n);
  // Logs every open connection in, `batch` at a time (0: all at once), each
  // batch after the previous one settled, and waits until the room has
  // settled: all logged in, all with a full who list, no who list for 300 ms.
  asio::awaitable<bool> login_all(double timeout, size_t batch);
  // Every connection that sent its login is logged in and has seen a who list
  // of all of them.
  bool settled() const;

  std::string username(size_t i) const;
  // `{"action":"login","username":"uNNNN"<extra>}`; no-op unless open.
  void send_login(size_t i, std::string_view extra = {});

  void log(const std::string& text) const;
  void print(const Result& r) const { print_result(opt_.scenario, opt_.label, r); }

 private:
  asio::awaitable<int> body(const Scenario& scenario);
  void count_who(User& u, std::string_view p, Clock::time_point now);
  void count_me(User& u, Clock::time_point now);
  void trace(std::string_view p, Clock::time_point now) const;
  void start_more();
  void log_unsettled() const;

  Options opt_;
  // LOADGEN_TRACE=i prints what connection i receives (debugging).
  const uint32_t trace_ =
      std::getenv("LOADGEN_TRACE") ? std::atoi(std::getenv("LOADGEN_TRACE")) : UINT32_MAX;
  asio::io_context io_{1};
  EventLoop loop_{io_};
  std::vector<asio::ip::tcp::endpoint> servers_;  // connection i: servers_[i % size]
  std::vector<std::string> host_headers_;
  std::vector<asio::ip::address> sources_;
  size_t name_width_ = 4;
  std::vector<std::unique_ptr<Connection>> conns_;
  std::vector<User> users_;
  Clock::time_point started_ = Clock::now();
  Tap* tap_ = nullptr;

  size_t target_ = 0;  // connections to open
  size_t next_ = 0;    // next connection to start
  size_t connecting_ = 0;
  size_t opened_ = 0;
  size_t connect_failed_ = 0;
  size_t dropped_ = 0;
  size_t logged_in_ = 0;
  size_t logins_sent_ = 0;
  size_t full_ = 0;
  uint32_t who_target_ = 0;
  bool count_entries_ = true;
  bool shutting_down_ = false;
  std::map<std::string, size_t> connect_errors_;
  std::map<std::string, size_t> drop_reasons_;
  Counters n_;
};

// Installs a tap for the lifetime of a scenario object.
class TapScope {
 public:
  TapScope(Loadgen& g, Tap& tap) : g_(g) { g_.set_tap(&tap); }
  ~TapScope() { g_.set_tap(nullptr); }
  TapScope(const TapScope&) = delete;
  TapScope& operator=(const TapScope&) = delete;

 private:
  Loadgen& g_;
};

}  // namespace bench
