// Load generator for a BareRTC chat server (ours or the original): opens
// thousands of WebSocket connections on loopback, logs them in, drives public
// chat traffic and measures delivery rate, end-to-end latency, server CPU
// time per delivery, join-storm time and memory per connection.
//
// Usage: loadgen SCENARIO [--option value ...]; see usage() below.
// Single-threaded: one io_context, one thread, so that it leaves as much of
// the machine as possible to the server; its own CPU time is reported.
#include <utility>  // std::exchange, used by Boost 1.74 awaitable.hpp

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "stats.hpp"
#include "ws_client.hpp"

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace bench {
namespace {

struct Options {
  std::string scenario;
  std::string host = "127.0.0.1";
  uint16_t port = 9200;
  pid_t pid = 0;  // the server process, for CPU and memory readings
  std::string label = "server";
  size_t users = 0;  // 0: the scenario's default
  double rate = 100;
  double duration = 30;
  size_t senders = 0;  // 0: the scenario's default
  size_t inflight = 4;
  std::string channel = "lobby";
  size_t connect_concurrency = 256;
  double setup_timeout = 180;
  double timeout = 60;
  size_t src_ips = 0;  // 0: one per 20000 connections
  size_t padding = 0;
  double idle_wait = 90;
  double min_uptime = 0;  // measure only once the server is this old
  size_t login_batch = 0;
  size_t login_users = SIZE_MAX;
  double hold = 0;  // idle: keep the connections open this long after measuring
  // who-toggle
  double cams_pct = 10;      // users with the camera on
  double relations_pct = 5;  // users with one block or boot relation
  double interval_ms = 100;  // between two camera toggles
  uint64_t seed = 1;         // who gets a camera, a relation, the toggle
  size_t tag = 1;            // 1: sequence tag in client-side video bits (4, 8, 256)
};

void usage() {
  std::cerr << R"(usage: loadgen SCENARIO [options]
scenarios:
  fanout      N users in one channel, R messages/s in total from S senders for T s
  fanout-max  N users, S senders each keeping K messages in flight, for T s
  join        N users connect, then all log in at once: time until all saw the full who list
  idle        N bare connections, then L of them log in: server memory per connection
  who-toggle  N users, C % with the camera on, P % with a block or boot relation; one user
              toggles its camera every I ms for T s: who-list latency at every client
options:
  --host H (127.0.0.1)  --port P (9200)  --pid SERVER_PID  --label NAME
  --users N (2000; idle 10000)  --rate R (100)  --duration T (30)
  --senders S (fanout 4, fanout-max 4)  --inflight K (4)  --channel C (lobby)
  --padding BYTES (0: extra text in each message)
  --connect-concurrency C (256)  --setup-timeout S (180)  --timeout S (60)
  --src-ips K (0 = auto: 127.0.0.1..127.0.0.K as source addresses)
  --idle-wait S (90: wait up to S for the server's CPU to go idle first)
  --login-users L (idle: how many of the N connections then log in; default all)
  --hold S (idle: keep the connections open S seconds after measuring, for inspection)
  --min-uptime S (0: before measuring, wait until the server process is S seconds old)
  --login-batch B (0: all at once; otherwise fanout set-up logs users in B at a time,
                   each batch once the room settled)
  --cams-pct C (who-toggle: 10)  --relations-pct P (who-toggle: 5; half block, half boot
                   one random other user)  --interval-ms I (who-toggle: 100)
  --seed S (who-toggle: 1)  --tag 0|1 (who-toggle: 1 = also flip the client-side video
                   bits 4, 8, 256 so that every list tells which of 16 toggles it shows)
)";
}

std::optional<Options> parse_options(int argc, char** argv) {
  if (argc < 2) return std::nullopt;
  Options o;
  o.scenario = argv[1];
  if (o.scenario != "fanout" && o.scenario != "fanout-max" && o.scenario != "join" &&
      o.scenario != "idle" && o.scenario != "who-toggle") {
    std::cerr << "unknown scenario " << o.scenario << "\n";
    return std::nullopt;
  }
  auto size = [](size_t& field) {
    return [&field](const std::string& v) { field = std::stoul(v); };
  };
  auto real = [](double& field) {
    return [&field](const std::string& v) { field = std::stod(v); };
  };
  auto text = [](std::string& field) { return [&field](const std::string& v) { field = v; }; };
  const std::map<std::string, std::function<void(const std::string&)>> setters = {
      {"--host", text(o.host)},
      {"--port", [&](const std::string& v) { o.port = static_cast<uint16_t>(std::stoul(v)); }},
      {"--pid", [&](const std::string& v) { o.pid = static_cast<pid_t>(std::stol(v)); }},
      {"--label", text(o.label)},
      {"--users", size(o.users)},
      {"--rate", real(o.rate)},
      {"--duration", real(o.duration)},
      {"--senders", size(o.senders)},
      {"--inflight", size(o.inflight)},
      {"--channel", text(o.channel)},
      {"--padding", size(o.padding)},
      {"--connect-concurrency", size(o.connect_concurrency)},
      {"--setup-timeout", real(o.setup_timeout)},
      {"--timeout", real(o.timeout)},
      {"--src-ips", size(o.src_ips)},
      {"--idle-wait", real(o.idle_wait)},
      {"--login-batch", size(o.login_batch)},
      {"--min-uptime", real(o.min_uptime)},
      {"--login-users", size(o.login_users)},
      {"--hold", real(o.hold)},
      {"--cams-pct", real(o.cams_pct)},
      {"--relations-pct", real(o.relations_pct)},
      {"--interval-ms", real(o.interval_ms)},
      {"--seed", [&](const std::string& v) { o.seed = std::stoull(v); }},
      {"--tag", size(o.tag)},
  };
  for (int i = 2; i < argc; ++i) {
    const std::string key = argv[i];
    if (i + 1 >= argc) {
      std::cerr << "missing value for " << key << "\n";
      return std::nullopt;
    }
    const std::string v = argv[++i];
    auto setter = setters.find(key);
    if (setter == setters.end()) {
      std::cerr << "unknown option " << key << "\n";
      return std::nullopt;
    }
    try {
      setter->second(v);
    } catch (const std::exception&) {
      std::cerr << "bad value for " << key << ": " << v << "\n";
      return std::nullopt;
    }
  }
  if (o.users == 0) o.users = o.scenario == "idle" ? 10000 : 2000;
  if (o.senders == 0) o.senders = 4;
  o.senders = std::clamp<size_t>(o.senders, 1, o.users);
  if (o.connect_concurrency == 0) o.connect_concurrency = 1;
  o.cams_pct = std::clamp(o.cams_pct, 0.0, 100.0);
  o.relations_pct = std::clamp(o.relations_pct, 0.0, 100.0);
  if (o.interval_ms <= 0) o.interval_ms = 100;
  if (o.src_ips == 0) o.src_ips = (o.users + 19999) / 20000;
  o.src_ips = std::clamp<size_t>(o.src_ips, 1, 250);
  return o;
}

void append_number(std::string& out, uint64_t v) {
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, v);
  out.append(digits, r.ptr);
}

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

uint64_t steady_ns(Clock::time_point t) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

// The action of a server frame: servers put it first, but search if not.
std::string_view action_of(std::string_view p) {
  constexpr std::string_view kFirst = R"({"action":")";
  size_t start = 0;
  if (p.starts_with(kFirst)) {
    start = kFirst.size();
  } else {
    const size_t k = p.find(R"("action":")");
    if (k == std::string_view::npos) return {};
    start = k + 10;
  }
  const size_t end = p.find('"', start);
  if (end == std::string_view::npos) return {};
  return p.substr(start, end - start);
}

// Entries of a who list, counted without parsing: each one starts with
// `{"username":` and usernames here never contain that.
uint32_t count_who_entries(std::string_view p) {
  constexpr std::string_view kEntry = R"({"username":)";
  uint32_t n = 0;
  const char* s = p.data() + 1;  // skip the outer object
  const char* end = p.data() + p.size();
  while (s < end) {
    const auto* brace = static_cast<const char*>(std::memchr(s, '{', end - s));
    if (!brace) break;
    if (static_cast<size_t>(end - brace) >= kEntry.size() &&
        std::memcmp(brace, kEntry.data(), kEntry.size()) == 0) {
      ++n;
    }
    s = brace + 1;
  }
  return n;
}

// Message text: Zq<send ns>x<sender index>x<sequence>Zq — letters and digits
// only, so Markdown leaves it alone.
struct Marker {
  uint64_t ns = 0;
  uint32_t sender = 0;
  uint64_t seq = 0;
};

std::optional<Marker> find_marker(std::string_view p) {
  const auto* z = static_cast<const char*>(memmem(p.data(), p.size(), "Zq", 2));
  if (!z) return std::nullopt;
  const char* end = p.data() + p.size();
  Marker m;
  auto r = std::from_chars(z + 2, end, m.ns);
  if (r.ec != std::errc() || r.ptr == end || *r.ptr != 'x') return std::nullopt;
  r = std::from_chars(r.ptr + 1, end, m.sender);
  if (r.ec != std::errc() || r.ptr == end || *r.ptr != 'x') return std::nullopt;
  r = std::from_chars(r.ptr + 1, end, m.seq);
  if (r.ec != std::errc()) return std::nullopt;
  return m;
}

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

// A before/after reading of CPU and memory.
struct Usage {
  double server_cpu = 0;
  double self_cpu = 0;
  long server_rss_kib = 0;
  long server_hwm_kib = 0;
  double server_uptime = 0;
  double machine_busy = 0;
  Clock::time_point at{};
};

class Loadgen final : public ConnectionHandler {
 public:
  explicit Loadgen(Options o) : opt_(std::move(o)) {
    server_ = asio::ip::tcp::endpoint(asio::ip::make_address(opt_.host), opt_.port);
    host_header_ = opt_.host + ":" + std::to_string(opt_.port);
    for (size_t i = 0; i < opt_.src_ips; ++i) {
      if (opt_.src_ips == 1) {
        sources_.push_back(asio::ip::address());  // kernel's choice
      } else {
        sources_.push_back(asio::ip::make_address_v4(0x7F000001u + static_cast<uint32_t>(i)));
      }
    }
    name_width_ = std::max<size_t>(4, std::to_string(opt_.users - 1).size());
  }

  int run() {
    int status = 0;
    asio::co_spawn(io_, scenario(), [&](std::exception_ptr e, int rc) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          std::cerr << "loadgen: " << ex.what() << "\n";
        }
        rc = 1;
      }
      status = rc;
      shutting_down_ = true;
      for (auto& c : conns_) c->abort();
      loop_.stop();
      io_.stop();
    });
    io_.run();
    return status;
  }

  // ConnectionHandler
  void on_open(Connection& c) override {
    users_[c.index()].opened = true;
    ++opened_;
    --connecting_;
    start_more();
  }

  void on_text(Connection& c, std::string_view p, Clock::time_point now) override {
    User& u = users_[c.index()];
    if (c.index() == trace_) {
      std::cerr << "trace #" << trace_ << " " << seconds(now - started_)
                << "s: " << p.substr(0, 300) << (p.size() > 300 ? "..." : "") << "\n";
    }
    n_.last_frame = now;
    const std::string_view action = action_of(p);
    if (action == "message") {
      if (!measuring_) return;
      const auto m = find_marker(p);
      if (!m) {
        ++n_.unmarked;
        return;
      }
      ++n_.deliveries;
      const uint64_t now_ns = steady_ns(now);
      n_.latency.add(now_ns > m->ns ? (now_ns - m->ns) / 1000 : 0);
      n_.last_delivery = now;
      if (m->sender == c.index() && u.inflight > 0) {
        --u.inflight;
        if (max_sending_) send_message(c.index());
      }
    } else if (action == "who") {
      ++n_.who_frames;
      n_.who_bytes += p.size();
      n_.last_who = now;
      if (toggle_watch_) watch_who(c.index(), p, now);
      if (!count_entries_) return;  // who-toggle: 2000 entries × 2000 lists × rounds/s
      u.who_last = count_who_entries(p);
      u.who_max = std::max(u.who_max, u.who_last);
      if (!u.full && who_target_ > 0 && u.who_last >= who_target_) {
        u.full = true;
        u.full_at = now;
        ++full_;
        n_.last_full = now;
      }
    } else if (action == "me") {
      if (!u.me) {
        u.me = true;
        ++logged_in_;
        n_.last_me = now;
      }
    } else {
      ++n_.other_frames;
    }
  }

  void on_closed(Connection& c, std::string_view why, int close_code) override {
    if (shutting_down_) return;
    User& u = users_[c.index()];
    std::string key = std::string(why.substr(0, 80));
    if (close_code) key = "code " + std::to_string(close_code) + " " + key;
    if (!u.opened) {
      ++connect_failed_;
      --connecting_;
      ++connect_errors_[key];
      start_more();
      return;
    }
    u.dropped = true;
    ++dropped_;
    ++n_.drops;
    ++drop_reasons_[key];
  }

 private:
  using Awaitable = asio::awaitable<int>;

  asio::awaitable<void> sleep_for(Clock::duration d) {
    asio::steady_timer t(io_, d);
    co_await t.async_wait(asio::use_awaitable);
  }

  template <class Pred>
  asio::awaitable<bool> wait_until(Pred pred, Clock::time_point deadline,
                                   Clock::duration poll = 5ms) {
    while (!pred()) {
      if (Clock::now() >= deadline) co_return false;
      co_await sleep_for(poll);
    }
    co_return true;
  }

  Usage usage_now() const {
    Usage u;
    u.at = Clock::now();
    u.self_cpu = self_cpu_seconds();
    u.machine_busy = machine_busy_seconds();
    if (opt_.pid) {
      u.server_cpu = process_cpu_seconds(opt_.pid).value_or(0);
      u.server_rss_kib = process_status_kib(opt_.pid, "VmRSS").value_or(0);
      u.server_hwm_kib = process_status_kib(opt_.pid, "VmHWM").value_or(0);
      u.server_uptime = process_uptime_seconds(opt_.pid).value_or(0);
    }
    return u;
  }

  bool server_alive() const { return opt_.pid == 0 || process_cpu_seconds(opt_.pid).has_value(); }

  // Waits until the server uses under 3 % of a core (leftovers of an earlier
  // run, such as a storm of departures, must not count here).
  asio::awaitable<void> wait_server_idle() {
    if (!opt_.pid || opt_.idle_wait <= 0) co_return;
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(opt_.idle_wait));
    double before = process_cpu_seconds(opt_.pid).value_or(0);
    while (Clock::now() < deadline) {
      co_await sleep_for(1s);
      const double after = process_cpu_seconds(opt_.pid).value_or(0);
      if (after - before < 0.03) break;
      before = after;
    }
    const double waited = seconds(Clock::now() - start);
    if (waited > 1.5) log("waited " + fixed(waited, 1) + " s for the server to go idle");
  }

  // Waits until the server has been up for --min-uptime seconds (the
  // original's start-up quiet periods must be over before measuring).
  asio::awaitable<void> wait_min_uptime() {
    if (!opt_.pid || opt_.min_uptime <= 0) co_return;
    const double up = process_uptime_seconds(opt_.pid).value_or(opt_.min_uptime);
    if (up >= opt_.min_uptime) co_return;
    log("waiting " + fixed(opt_.min_uptime - up, 1) + " s until the server is " +
        fixed(opt_.min_uptime, 0) + " s old");
    co_await sleep_for(to_duration(opt_.min_uptime - up));
  }

  void start_more() {
    while (next_ < target_ && connecting_ < opt_.connect_concurrency) {
      const size_t i = next_++;
      ++connecting_;
      conns_[i]->start(server_, sources_[i % sources_.size()], host_header_);
    }
  }

  // Opens `n` connections (handshake only), at most connect_concurrency at a
  // time. Returns the seconds it took.
  asio::awaitable<double> connect_all(size_t n) {
    const auto t0 = Clock::now();
    users_.assign(n, User{});
    conns_.reserve(n);
    for (size_t i = conns_.size(); i < n; ++i) {
      conns_.push_back(std::make_unique<Connection>(loop_, static_cast<uint32_t>(i), *this));
    }
    target_ = n;
    start_more();
    const bool ok = co_await wait_until([&] { return opened_ + connect_failed_ >= n; },
                                        t0 + to_duration(opt_.setup_timeout), 10ms);
    const double took = seconds(Clock::now() - t0);
    log("connected " + std::to_string(opened_) + "/" + std::to_string(n) + " in " + fixed(took, 2) +
        " s" + (connect_failed_ ? ", failed " + std::to_string(connect_failed_) : "") +
        (ok ? "" : " (timed out)"));
    for (auto& [why, count] : connect_errors_)
      log("  connect failure x" + std::to_string(count) + ": " + why);
    co_return took;
  }

  std::string username(size_t i) const {
    std::string digits = std::to_string(i);
    return "u" + std::string(name_width_ - std::min(name_width_, digits.size()), '0') + digits;
  }

  void send_login(size_t i) {
    if (!conns_[i]->open()) return;
    users_[i].login_sent = true;
    ++logins_sent_;
    conns_[i]->send_text(R"({"action":"login","username":")" + username(i) + R"("})");
  }

  void send_message(uint32_t i) {
    Connection& c = *conns_[i];
    if (!c.open()) return;
    User& u = users_[i];
    msg_buf_.assign(R"({"action":"message","channel":")");
    msg_buf_.append(opt_.channel);
    msg_buf_.append(R"(","message":"Zq)");
    append_number(msg_buf_, steady_ns(Clock::now()));
    msg_buf_.push_back('x');
    append_number(msg_buf_, i);
    msg_buf_.push_back('x');
    append_number(msg_buf_, u.seq++);
    msg_buf_.append("Zq");
    if (opt_.padding) {
      msg_buf_.push_back(' ');
      msg_buf_.append(opt_.padding, 'a');
    }
    msg_buf_.append(R"("})");
    c.send_text(msg_buf_);
    ++u.inflight;
    ++sent_;
  }

  size_t alive() const { return opened_ - dropped_; }

  // Every connection that sent its login is logged in and has seen a who list
  // of all of them.
  bool settled() const {
    size_t room = 0;
    for (const User& u : users_) room += u.login_sent && !u.dropped;
    for (const User& u : users_) {
      if (!u.login_sent || u.dropped) continue;
      if (!u.me || u.who_max < room) return false;
    }
    return true;
  }

  // Logs every open connection in, `batch` at a time (0: all at once), each
  // batch after the previous one settled, and waits until the room has
  // settled: all logged in, all with a full who list, no who list for 300 ms.
  asio::awaitable<bool> login_all(double timeout, size_t batch) {
    const auto t0 = Clock::now();
    const auto deadline = t0 + to_duration(timeout);
    who_target_ = static_cast<uint32_t>(alive());
    if (batch == 0) batch = users_.size();
    auto next_report = t0 + 10s;
    bool ok = true;
    for (size_t next = 0; next < users_.size() && ok;) {
      for (size_t end = std::min(users_.size(), next + batch); next < end; ++next) send_login(next);
      ok = co_await wait_until(
          [&] {
            if (Clock::now() >= next_report) {
              next_report += 10s;
              log("  logging in: " + std::to_string(logins_sent_) + " sent, " +
                  std::to_string(logged_in_) + " logged in, " + std::to_string(dropped_) +
                  " dropped");
            }
            return settled();
          },
          deadline, batch < users_.size() ? 1ms : 10ms);
    }
    if (!ok) {
      std::map<std::pair<bool, uint32_t>, size_t> states;
      for (const User& u : users_) {
        if (u.login_sent && !u.dropped) ++states[{u.me, u.who_max}];
      }
      std::string text = "  not settled; users by (logged in, longest who list):";
      for (auto& [k, count] : states) {
        text += " (" + std::to_string(k.first) + "," + std::to_string(k.second) + ")x" +
                std::to_string(count);
      }
      log(text);
    }
    if (ok) {
      // Trailing who lists (coalesced or not) end before measuring.
      co_await wait_until([&] { return Clock::now() - n_.last_who > 300ms; }, Clock::now() + 10s,
                          20ms);
    }
    log("logged in " + std::to_string(logged_in_) + "/" + std::to_string(opened_) + " in " +
        fixed(seconds(Clock::now() - t0), 2) + " s, dropped " + std::to_string(dropped_) +
        (ok ? "" : " (not settled: timed out)"));
    co_return ok;
  }

  // Waits for the deliveries still on their way: until all expected arrived,
  // nothing arrived for 2 s, or 15 s passed.
  asio::awaitable<void> drain(uint64_t expected) {
    const auto t0 = Clock::now();
    co_await wait_until(
        [&] {
          const auto now = Clock::now();
          const auto last = std::max(n_.last_delivery, t0);
          return n_.deliveries >= expected || now - last > 2s;
        },
        t0 + 15s, 5ms);
  }

  void reset_counters() {
    n_ = Counters{};
    drop_reasons_.clear();
  }

  // The common part of the two fan-out scenarios: room set up, then measure.
  asio::awaitable<int> fanout(bool max_mode) {
    co_await wait_server_idle();
    const double connect_s = co_await connect_all(opt_.users);
    const bool settled_ok = co_await login_all(opt_.setup_timeout, opt_.login_batch);
    const size_t setup_drops = dropped_;
    const double setup_s = seconds(Clock::now() - started_);
    co_await wait_min_uptime();
    std::vector<uint32_t> senders;
    for (size_t i = 0; i < users_.size() && senders.size() < opt_.senders; ++i) {
      if (users_[i].me && !users_[i].dropped) senders.push_back(static_cast<uint32_t>(i));
    }
    const size_t receivers = alive();
    if (senders.empty()) {
      log("no logged-in sender: giving up");
      co_return 1;
    }
    reset_counters();
    sent_ = 0;
    measuring_ = true;
    const Usage u0 = usage_now();
    const auto t_end = u0.at + to_duration(opt_.duration);
    auto next_report = u0.at + 5s;
    auto progress = [&] {
      if (Clock::now() < next_report) return;
      next_report += 5s;
      log("  " + fixed(seconds(Clock::now() - u0.at), 0) + " s: sent " + std::to_string(sent_) +
          ", delivered " + std::to_string(n_.deliveries) + ", dropped " + std::to_string(n_.drops));
    };
    if (max_mode) {
      max_sending_ = true;
      for (uint32_t s : senders) {
        for (size_t k = 0; k < opt_.inflight; ++k) send_message(s);
      }
      while (Clock::now() < t_end && alive() > 0 && server_alive()) {
        co_await sleep_for(50ms);
        progress();
      }
      max_sending_ = false;
    } else {
      // Message k is due at u0 + k / rate, round-robin over the senders.
      const double interval = 1.0 / opt_.rate;
      const auto total = static_cast<uint64_t>(std::llround(opt_.rate * opt_.duration));
      uint64_t k = 0;
      size_t next_sender = 0;
      while (k < total && alive() > 0) {
        const auto due = u0.at + to_duration(static_cast<double>(k) * interval);
        const auto now = Clock::now();
        if (due > now) {
          co_await sleep_for(std::min<Clock::duration>(due - now, 50ms));
          progress();
          continue;
        }
        // Round-robin over the senders still connected.
        for (size_t tries = 0; tries < senders.size(); ++tries) {
          const uint32_t sender = senders[next_sender++ % senders.size()];
          if (conns_[sender]->open()) {
            send_message(sender);
            break;
          }
        }
        ++k;
      }
    }
    const auto t_sent = Clock::now();
    const uint64_t expected = sent_ * receivers;
    co_await drain(expected);
    measuring_ = false;
    const Usage u1 = usage_now();

    const auto last = std::max(n_.last_delivery, t_sent);
    const double window = seconds(last - u0.at);
    const double server_cpu = u1.server_cpu - u0.server_cpu;
    const uint64_t lost = expected > n_.deliveries ? expected - n_.deliveries : 0;
    Result r;
    r.add("users", opt_.users);
    r.add("logged_in", receivers);
    r.add("settled", settled_ok ? 1 : 0);
    r.add("setup_dropped", setup_drops);
    r.add("connect_s", connect_s, 2);
    r.add("setup_s", setup_s, 2);
    r.add("senders", senders.size());
    if (max_mode) {
      r.add("inflight", opt_.inflight);
    } else {
      r.add("rate", opt_.rate, 1);
    }
    r.add("duration_s", window, 2);
    r.add("sent", sent_);
    r.add("msgs_per_s", sent_ / seconds(t_sent - u0.at), 1);
    r.add("expected", expected);
    r.add("delivered", n_.deliveries);
    r.add("lost", lost);
    r.add("lost_pct", expected ? 100.0 * lost / expected : 0.0, 3);
    r.add("dropped", n_.drops);
    r.add("deliveries_per_s", window > 0 ? n_.deliveries / window : 0, 0);
    add_latency(r);
    r.add("server_cpu_s", server_cpu, 2);
    r.add("server_cpu_pct", 100 * server_cpu / window, 0);
    r.add("server_us_per_delivery", n_.deliveries ? 1e6 * server_cpu / n_.deliveries : 0, 3);
    r.add("gen_cpu_s", u1.self_cpu - u0.self_cpu, 2);
    add_other_cpu(r, u0, u1);
    r.add("who_frames", n_.who_frames);
    r.add("unmarked", n_.unmarked);
    print(r);
    co_return 0;
  }

  asio::awaitable<int> join_storm() {
    co_await wait_server_idle();
    const double connect_s = co_await connect_all(opt_.users);
    co_await wait_min_uptime();
    co_await sleep_for(500ms);
    const size_t n = alive();
    who_target_ = static_cast<uint32_t>(n);
    reset_counters();
    const Usage u0 = usage_now();
    for (size_t i = 0; i < users_.size(); ++i) send_login(i);
    auto next_report = u0.at + 5s;
    const bool complete = co_await wait_until(
        [&] {
          const auto now = Clock::now();
          if (now >= next_report) {
            next_report += 5s;
            log("  " + fixed(seconds(now - u0.at), 0) + " s: " + std::to_string(logged_in_) +
                " logged in, " + std::to_string(full_) + " saw all " + std::to_string(n) +
                ", dropped " + std::to_string(dropped_));
          }
          if (full_ >= n) return true;
          // Stalled: nothing new for 5 s after everyone logged in or dropped.
          const auto last = std::max({n_.last_who, n_.last_me, u0.at});
          return logged_in_ + dropped_ >= n && now - last > 5s;
        },
        u0.at + to_duration(opt_.timeout), 2ms);
    const Usage u1 = usage_now();
    const double all_me = logged_in_ >= n ? seconds(n_.last_me - u0.at) : -1;
    const double all_full = full_ >= n ? seconds(n_.last_full - u0.at) : -1;
    Result r;
    r.add("users", n);
    r.add("connect_s", connect_s, 2);
    r.add("complete", complete && full_ >= n ? 1 : 0);
    r.add("all_logged_in_s", all_me, 3);
    r.add("all_full_who_s", all_full, 3);
    r.add("logged_in", logged_in_);
    r.add("saw_full_list", full_);
    r.add("dropped", n_.drops);
    r.add("who_frames", n_.who_frames);
    r.add("who_frames_per_user", n ? static_cast<double>(n_.who_frames) / n : 0, 1);
    r.add("who_mbytes", n_.who_bytes / 1e6, 1);
    r.add("server_cpu_s", u1.server_cpu - u0.server_cpu, 2);
    r.add("gen_cpu_s", u1.self_cpu - u0.self_cpu, 2);
    add_other_cpu(r, u0, u1);
    print(r);
    co_return 0;
  }

  asio::awaitable<int> idle_memory() {
    co_await wait_server_idle();
    const Usage u0 = usage_now();
    const double connect_s = co_await connect_all(opt_.users);
    co_await sleep_for(2s);
    const Usage u1 = usage_now();
    const size_t bare = alive();
    // The first --login-users log in at once; measured once all are logged in
    // with a full who list and nothing arrived for 2 s.
    const size_t to_login = std::min(opt_.login_users, users_.size());
    who_target_ = static_cast<uint32_t>(to_login);
    reset_counters();
    const auto t_login = Clock::now();
    for (size_t i = 0; i < to_login; ++i) send_login(i);
    auto next_report = t_login + 10s;
    const auto deadline = t_login + to_duration(opt_.timeout);
    bool settled_ok = co_await wait_until(
        [&] {
          if (Clock::now() >= next_report) {
            next_report += 10s;
            log("  logging in: " + std::to_string(logged_in_) + " logged in, " +
                std::to_string(full_) + " with the full who list, " + std::to_string(dropped_) +
                " dropped");
          }
          return settled();
        },
        deadline, 10ms);
    if (settled_ok) {
      co_await wait_until([&] { return Clock::now() - n_.last_frame > 2s; }, deadline, 20ms);
    }
    const Usage u2 = usage_now();
    size_t logged = 0;
    for (const User& u : users_) logged += u.me && !u.dropped;
    auto per_conn = [](long kib, size_t n) { return n ? kib * 1024.0 / n : 0.0; };
    Result r;
    r.add("users", opt_.users);
    r.add("connect_s", connect_s, 2);
    r.add("bare_open", bare);
    r.add("rss_start_mib", u0.server_rss_kib / 1024.0, 1);
    r.add("rss_bare_mib", u1.server_rss_kib / 1024.0, 1);
    r.add("bare_bytes_per_conn", per_conn(u1.server_rss_kib - u0.server_rss_kib, bare), 0);
    r.add("login_users", to_login);
    r.add("logged_in", logged);
    r.add("login_settled", settled_ok ? 1 : 0);
    r.add("login_dropped", dropped_);
    r.add("all_logged_in_s", logged_in_ >= to_login ? seconds(n_.last_me - t_login) : -1, 2);
    r.add("saw_full_list", full_);
    r.add("who_frames", n_.who_frames);
    r.add("who_mbytes", n_.who_bytes / 1e6, 1);
    r.add("login_server_cpu_s", u2.server_cpu - u1.server_cpu, 2);
    r.add("rss_logged_in_mib", u2.server_rss_kib / 1024.0, 1);
    r.add("login_extra_bytes_per_user",
          per_conn(u2.server_rss_kib - u1.server_rss_kib, logged ? logged : to_login), 0);
    r.add("rss_peak_mib", u2.server_hwm_kib / 1024.0, 1);
    r.add("server_uptime_s", u2.server_uptime, 1);
    r.add("gen_cpu_s", u2.self_cpu - u0.self_cpu, 2);
    add_other_cpu(r, u0, u2);
    print(r);
    if (opt_.hold > 0) {
      log("holding the connections for " + fixed(opt_.hold, 0) + " s");
      co_await sleep_for(to_duration(opt_.hold));
    }
    co_return 0;
  }

  // --- who-toggle ------------------------------------------------------------
  //
  // Toggle k (k >= 1 measured; 0 is the set-up `me` that turns the camera on)
  // sends video 1 when k is even and 0 when odd. With --tag 1 it also sets the
  // client-side bits 4, 8 and 256 from bits 1..3 of k, which the server relays
  // as they are (protocol.md §6): a list then tells which of 16 consecutive
  // toggles it shows, so a list that arrives two toggles late is not mistaken
  // for the newest one.
  int64_t toggle_period() const { return opt_.tag ? 16 : 2; }

  int64_t toggle_video(int64_t k) const {
    int64_t v = (k & 1) ? 0 : 1;
    if (opt_.tag) v |= ((k & 2) ? 4 : 0) | ((k & 4) ? 8 : 0) | ((k & 8) ? 256 : 0);
    return v;
  }

  // The toggle index modulo the period that a `video` value shows.
  int64_t toggle_phase(int64_t video) const {
    int64_t k = (video & 1) ? 0 : 1;
    if (opt_.tag) k |= ((video & 4) ? 2 : 0) | ((video & 8) ? 4 : 0) | ((video & 256) ? 8 : 0);
    return k;
  }

  // The `video` value of the toggler's entry in a who list, nullopt when the
  // list has no entry for it, -1 when the entry has no readable value. The
  // entry is looked for where it was in this client's previous list (lists
  // change little from round to round), then nearby, then everywhere.
  std::optional<int64_t> toggler_video(std::string_view p, uint32_t& hint) const {
    const std::string_view needle = toggler_needle_;
    auto search = [&](size_t lo, size_t hi) -> size_t {
      if (hi <= lo || hi - lo < needle.size()) return std::string_view::npos;
      const void* f = memmem(p.data() + lo, hi - lo, needle.data(), needle.size());
      return f ? static_cast<size_t>(static_cast<const char*>(f) - p.data())
               : std::string_view::npos;
    };
    size_t at = std::string_view::npos;
    if (size_t{hint} + needle.size() <= p.size() && p.substr(hint, needle.size()) == needle) {
      at = hint;
    } else {
      const size_t lo = hint > 4096 ? hint - 4096 : 0;
      at = search(lo, std::min(p.size(), size_t{hint} + 4096 + needle.size()));
      if (at == std::string_view::npos) at = search(0, p.size());
    }
    if (at == std::string_view::npos) return std::nullopt;
    hint = static_cast<uint32_t>(at);
    std::string_view entry = p.substr(at + needle.size(), 256);
    entry = entry.substr(0, entry.find('}'));
    constexpr std::string_view kVideo = R"("video":)";
    const size_t v = entry.find(kVideo);
    if (v == std::string_view::npos) return -1;
    int64_t video = 0;
    const char* first = entry.data() + v + kVideo.size();
    const auto r = std::from_chars(first, entry.data() + entry.size(), video);
    if (r.ec != std::errc()) return -1;
    return video;
  }

  void watch_who(uint32_t i, std::string_view p, Clock::time_point now) {
    Watch& w = watch_[i];
    if (fingerprints_) w.fingerprint = std::hash<std::string_view>{}(p);
    const auto video = toggler_video(p, w.hint);
    if (w.mask != kVisible) {
      if (!toggle_measuring_) return;
      ++tc_.masked_lists;
      // Booted by the toggler: it must always see 0. Block relation: no entry.
      if (w.mask == kBlockRelation ? video.has_value() : video.value_or(0) != 0) {
        ++tc_.mask_violations;
      }
      return;
    }
    if (!video) {
      if (toggle_measuring_) ++tc_.missing;
      return;
    }
    const int64_t phase = toggle_phase(*video);
    if (*video < 0 || toggle_video(phase) != *video) {
      if (toggle_measuring_) ++tc_.odd_values;
      return;
    }
    const int64_t last = static_cast<int64_t>(toggle_at_.size()) - 1;
    if (last < 0) return;
    const int64_t period = toggle_period();
    // The newest toggle sent so far that shows this value.
    const int64_t j = last - (((last - phase) % period) + period) % period;
    if (j == w.seen) return;  // no change for this client
    if (j < w.seen) {         // an older state again
      if (toggle_measuring_) ++tc_.stale;
      return;
    }
    if (toggle_measuring_) {
      if (j - period > w.seen) ++tc_.ambiguous;  // an older toggle shows the same value
      tc_.merged += static_cast<uint64_t>(j - w.seen - 1);
      ++tc_.samples;
      n_.latency.add(static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(now - toggle_at_[j]).count()));
    }
    w.seen = j;
  }

  void send_me(uint32_t i, int64_t video) {
    std::string text = R"({"action":"me","video":)";
    append_number(text, static_cast<uint64_t>(video));
    text += R"(,"status":"online"})";
    conns_[i]->send_text(text);
  }

  // Clients that can see the toggler's camera, still connected.
  template <class F>
  void for_each_watcher(F f) {
    for (size_t i = 0; i < users_.size(); ++i) {
      if (users_[i].me && !users_[i].dropped && watch_[i].mask == kVisible) f(i, watch_[i]);
    }
  }

  asio::awaitable<int> who_toggle() {
    co_await wait_server_idle();
    const double connect_s = co_await connect_all(opt_.users);
    const bool login_ok = co_await login_all(opt_.setup_timeout, opt_.login_batch);
    count_entries_ = false;
    const size_t n = users_.size();
    if (n < 2) {
      log("who-toggle needs at least 2 users");
      co_return 1;
    }
    const auto t_setup = Clock::now();

    // Who has a camera and who has a relation: independent random choices,
    // except that the toggler has its camera on and, when there are relations
    // at all, is one of the booters (so that the masked path is exercised).
    std::mt19937_64 rng(opt_.seed);
    std::vector<uint32_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
    std::shuffle(order.begin(), order.end(), rng);
    const uint32_t toggler = order[0];
    const size_t n_cams =
        std::clamp<size_t>(static_cast<size_t>(std::llround(n * opt_.cams_pct / 100)), 1, n);
    const size_t n_rel =
        std::min(n, static_cast<size_t>(std::llround(n * opt_.relations_pct / 100)));
    std::vector<uint32_t> cams(order.begin(), order.begin() + static_cast<ptrdiff_t>(n_cams));
    std::shuffle(order.begin() + 1, order.end(), rng);
    std::vector<uint32_t> related(order.begin(), order.begin() + static_cast<ptrdiff_t>(n_rel));
    const size_t n_boot = (n_rel + 1) / 2;  // the first ones boot (the toggler among them)
    auto random_other = [&](uint32_t self) {
      auto t = static_cast<uint32_t>(rng() % (n - 1));
      return t >= self ? t + 1 : t;
    };
    watch_.assign(n, Watch{});
    toggler_needle_ = R"("username":")" + username(toggler) + "\"";
    std::vector<char> in_relation(n, 0);
    size_t masked_booted = 0, masked_blocked = 0;
    std::vector<std::pair<uint32_t, std::string>> relation_msgs;
    for (size_t r = 0; r < related.size(); ++r) {
      const uint32_t who = related[r];
      const uint32_t target = random_other(who);
      const bool boot = r < n_boot;
      relation_msgs.emplace_back(who, std::string(R"({"action":")") + (boot ? "boot" : "block") +
                                          R"(","username":")" + username(target) + R"("})");
      in_relation[target] = 1;          // named by a relation
      if (!boot) in_relation[who] = 1;  // has a block list
      if (boot && who == toggler && watch_[target].mask == kVisible) {
        watch_[target].mask = kBootedByToggler;
        ++masked_booted;
      }
      if (!boot && target == toggler && watch_[who].mask != kBlockRelation) {
        if (watch_[who].mask == kBootedByToggler) --masked_booted;
        watch_[who].mask = kBlockRelation;
        ++masked_blocked;
      }
    }
    const size_t relation_viewers =
        static_cast<size_t>(std::count(in_relation.begin(), in_relation.end(), 1));
    if (!users_[toggler].me || users_[toggler].dropped) {
      log("the toggler " + username(toggler) + " is not logged in: giving up");
      co_return 1;
    }
    log("toggler " + username(toggler) + "; " + std::to_string(n_cams) + " cameras on, " +
        std::to_string(n_rel) + " users with a relation (" + std::to_string(n_boot) + " boot, " +
        std::to_string(n_rel - n_boot) + " block), " + std::to_string(relation_viewers) +
        " viewers in a relation; the toggler is masked for " +
        std::to_string(masked_booted + masked_blocked) + " (" + std::to_string(masked_booted) +
        " booted, " + std::to_string(masked_blocked) + " block)");

    // Cameras on, relations, and the toggler's camera last (toggle 0).
    toggle_watch_ = true;
    fingerprints_ = true;
    toggle_at_.clear();
    for (uint32_t i : cams) {
      if (i != toggler) send_me(i, 1);
    }
    for (auto& [who, text] : relation_msgs) conns_[who]->send_text(text);
    toggle_at_.push_back(Clock::now());
    send_me(toggler, toggle_video(0));
    auto all_saw = [&](int64_t k) {
      bool all = true;
      for_each_watcher([&](size_t, const Watch& w) { all = all && w.seen >= k; });
      return all;
    };
    const bool settled_ok =
        co_await wait_until([&] { return all_saw(0) && Clock::now() - n_.last_who > 500ms; },
                            t_setup + to_duration(opt_.setup_timeout), 10ms);
    fingerprints_ = false;
    // Distinct lists in the last round: viewers that share a frame get
    // byte-identical lists.
    std::map<uint64_t, size_t> groups;
    size_t watchers = 0, listeners = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!users_[i].me || users_[i].dropped) continue;
      ++listeners;
      ++groups[watch_[i].fingerprint];
    }
    for_each_watcher([&](size_t, const Watch&) { ++watchers; });
    std::vector<size_t> sizes;
    for (auto& [_, count] : groups) sizes.push_back(count);
    std::sort(sizes.rbegin(), sizes.rend());
    const size_t singletons = static_cast<size_t>(std::count(sizes.begin(), sizes.end(), 1));
    log(std::string(settled_ok ? "settled" : "NOT settled (timed out)") + " in " +
        fixed(seconds(Clock::now() - t_setup), 2) + " s: " + std::to_string(groups.size()) +
        " distinct who lists among " + std::to_string(listeners) + " users (largest group " +
        std::to_string(sizes.empty() ? 0 : sizes[0]) + ", " + std::to_string(singletons) +
        " lists seen by one user only)");
    const size_t setup_drops = dropped_;
    co_await wait_min_uptime();

    reset_counters();
    tc_ = ToggleCounters{};
    toggle_measuring_ = true;
    const auto threads0 =
        opt_.pid ? thread_cpu_seconds(opt_.pid) : decltype(thread_cpu_seconds(0)){};
    const Usage u0 = usage_now();
    const auto total = static_cast<int64_t>(std::llround(opt_.duration * 1000 / opt_.interval_ms));
    auto next_report = u0.at + 5s;
    auto progress = [&] {
      if (Clock::now() < next_report) return;
      next_report += 5s;
      log("  " + fixed(seconds(Clock::now() - u0.at), 0) + " s: " +
          std::to_string(toggle_at_.size() - 1) + " toggles, " + std::to_string(tc_.samples) +
          " seen, " + std::to_string(tc_.merged) + " merged, " + std::to_string(n_.who_frames) +
          " lists, p50 " + fixed(n_.latency.percentile(0.5) / 1e3, 1) + " ms");
    };
    for (int64_t k = 1; k <= total;) {
      const auto due = u0.at + to_duration(static_cast<double>(k - 1) * opt_.interval_ms / 1e3);
      const auto now = Clock::now();
      if (due > now) {
        co_await sleep_for(std::min<Clock::duration>(due - now, 50ms));
        progress();
        continue;
      }
      if (!conns_[toggler]->open() || !server_alive()) break;
      toggle_at_.push_back(Clock::now());
      send_me(toggler, toggle_video(k));
      ++k;
    }
    const auto t_sent = Clock::now();
    const int64_t last = static_cast<int64_t>(toggle_at_.size()) - 1;
    // Until everybody saw the last toggle, 2 s without a list, or 10 s.
    co_await wait_until(
        [&] { return all_saw(last) || Clock::now() - std::max(n_.last_who, t_sent) > 2s; },
        t_sent + 10s, 5ms);
    toggle_measuring_ = false;
    const Usage u1 = usage_now();
    // The server's CPU per thread (thread id order: for ours the main thread,
    // the room thread, then the I/O threads).
    std::string per_thread;
    if (opt_.pid) {
      for (const auto& [tid, cpu] : thread_cpu_seconds(opt_.pid)) {
        double before = 0;
        for (const auto& [tid0, cpu0] : threads0) {
          if (tid0 == tid) before = cpu0;
        }
        if (!per_thread.empty()) per_thread += '/';
        per_thread += fixed(cpu - before, 2);
      }
    }

    uint64_t unseen = 0;
    size_t eligible = 0;
    for_each_watcher([&](size_t, const Watch& w) {
      ++eligible;
      unseen += static_cast<uint64_t>(last - std::min(w.seen, last));
    });
    const size_t alive_users = alive();
    const double window = seconds(std::max(n_.last_who, t_sent) - u0.at);
    const double server_cpu = u1.server_cpu - u0.server_cpu;
    const double gen_cpu = u1.self_cpu - u0.self_cpu;
    const uint64_t expected = static_cast<uint64_t>(last) * eligible;
    Result r;
    r.add("users", opt_.users);
    r.add("logged_in", listeners);
    r.add("settled", login_ok && settled_ok ? 1 : 0);
    r.add("setup_dropped", setup_drops);
    r.add("connect_s", connect_s, 2);
    r.add("setup_s", seconds(u0.at - started_), 2);
    r.add("cams", n_cams);
    r.add("relation_users", n_rel);
    r.add("relation_viewers", relation_viewers);
    r.add("distinct_lists", groups.size());
    r.add("largest_list_group", sizes.empty() ? size_t{0} : sizes[0]);
    r.add("masked_clients", masked_booted + masked_blocked);
    r.add("clients_measured", eligible);
    r.add("watchers_at_start", watchers);
    r.add("interval_ms", opt_.interval_ms, 1);
    r.add("toggles", static_cast<uint64_t>(last));
    r.add("duration_s", window, 2);
    r.add("expected", expected);
    r.add("seen", tc_.samples);
    r.add("merged", tc_.merged);
    r.add("unseen", unseen);
    r.add("seen_pct", expected ? 100.0 * tc_.samples / expected : 0.0, 1);
    r.add("merged_pct", expected ? 100.0 * tc_.merged / expected : 0.0, 1);
    add_latency(r);
    r.add("who_frames", n_.who_frames);
    r.add(
        "lists_per_client_s",
        alive_users && window > 0 ? n_.who_frames / static_cast<double>(alive_users) / window : 0.0,
        2);
    r.add("list_kbytes", n_.who_frames ? n_.who_bytes / 1e3 / n_.who_frames : 0.0, 1);
    r.add("who_mbytes", n_.who_bytes / 1e6, 1);
    r.add("who_mbytes_per_s", window > 0 ? n_.who_bytes / 1e6 / window : 0.0, 1);
    r.add("server_cpu_s", server_cpu, 2);
    r.add("server_cpu_pct", window > 0 ? 100 * server_cpu / window : 0.0, 0);
    r.add("server_ms_per_toggle", last > 0 ? 1e3 * server_cpu / last : 0.0, 2);
    r.kv.emplace_back("server_threads_cpu_s", per_thread.empty() ? "-" : per_thread);
    r.add("gen_cpu_s", gen_cpu, 2);
    r.add("gen_cpu_pct", window > 0 ? 100 * gen_cpu / window : 0.0, 0);
    add_other_cpu(r, u0, u1);
    r.add("dropped", n_.drops);
    r.add("missing_entry", tc_.missing);
    r.add("mask_violations", tc_.mask_violations);
    r.add("masked_lists", tc_.masked_lists);
    r.add("stale", tc_.stale);
    r.add("ambiguous", tc_.ambiguous);
    r.add("odd_values", tc_.odd_values);
    print(r);
    const double other = (u1.machine_busy - u0.machine_busy) - server_cpu - gen_cpu;
    if (other > 0.05 * std::max(window, 1.0)) {
      log("WARNING: other processes used " + fixed(other, 2) + " s of CPU during the " +
          fixed(window, 1) + " s window: the machine was not quiet, repeat the run");
    }
    co_return 0;
  }

  Awaitable scenario() {
    started_ = Clock::now();
    log(opt_.scenario + " against " + opt_.label + " at " + host_header_ + " (pid " +
        std::to_string(opt_.pid) + "), users " + std::to_string(opt_.users));
    int rc = 0;
    if (opt_.scenario == "fanout")
      rc = co_await fanout(false);
    else if (opt_.scenario == "fanout-max")
      rc = co_await fanout(true);
    else if (opt_.scenario == "join")
      rc = co_await join_storm();
    else if (opt_.scenario == "who-toggle")
      rc = co_await who_toggle();
    else
      rc = co_await idle_memory();
    if (!drop_reasons_.empty()) {
      for (auto& [why, count] : drop_reasons_) {
        log("  dropped x" + std::to_string(count) + ": " + why);
      }
    }
    co_return rc;
  }

  // key=value pairs, printed as one RESULT line for scripts and as a list.
  struct Result {
    std::vector<std::pair<std::string, std::string>> kv;
    void add(const std::string& k, double v, int digits) { kv.emplace_back(k, fixed(v, digits)); }
    void add(const std::string& k, uint64_t v) { kv.emplace_back(k, std::to_string(v)); }
    void add(const std::string& k, int v) { kv.emplace_back(k, std::to_string(v)); }
  };

  // CPU time the rest of the machine used meanwhile (other processes, and
  // interrupt time not charged to a process): a busy machine skews results.
  static void add_other_cpu(Result& r, const Usage& a, const Usage& b) {
    const double other = (b.machine_busy - a.machine_busy) - (b.server_cpu - a.server_cpu) -
                         (b.self_cpu - a.self_cpu);
    r.add("other_cpu_s", std::max(0.0, other), 2);
  }

  void add_latency(Result& r) const {
    const auto& h = n_.latency;
    r.add("lat_p50_ms", h.percentile(0.50) / 1e3, 2);
    r.add("lat_p99_ms", h.percentile(0.99) / 1e3, 2);
    r.add("lat_max_ms", h.max() / 1e3, 2);
    r.add("lat_mean_ms", h.mean() / 1e3, 2);
  }

  void print(const Result& r) const {
    std::ostringstream line;
    line << "RESULT scenario=" << opt_.scenario << " label=" << opt_.label;
    for (const auto& [k, v] : r.kv) {
      std::cout << "  " << k << " = " << v << "\n";
      line << " " << k << "=" << v;
    }
    std::cout << line.str() << std::endl;
  }

  static std::string fixed(double v, int digits) {
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(digits);
    s << v;
    return s.str();
  }

  static Clock::duration to_duration(double secs) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(secs));
  }

  void log(const std::string& text) const {
    std::cerr << "[" << fixed(seconds(Clock::now() - started_), 1) << "s] " << text << std::endl;
  }

  Options opt_;
  // LOADGEN_TRACE=i prints what connection i receives (debugging).
  const uint32_t trace_ =
      std::getenv("LOADGEN_TRACE") ? std::atoi(std::getenv("LOADGEN_TRACE")) : UINT32_MAX;
  asio::io_context io_{1};
  EventLoop loop_{io_};
  asio::ip::tcp::endpoint server_;
  std::string host_header_;
  std::vector<asio::ip::address> sources_;
  size_t name_width_ = 4;
  std::vector<std::unique_ptr<Connection>> conns_;
  std::vector<User> users_;
  Clock::time_point started_ = Clock::now();

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
  std::map<std::string, size_t> connect_errors_;
  std::map<std::string, size_t> drop_reasons_;

  bool measuring_ = false;
  bool max_sending_ = false;
  bool shutting_down_ = false;
  uint64_t sent_ = 0;
  std::string msg_buf_;
  Counters n_;

  // who-toggle
  enum : uint8_t { kVisible = 0, kBootedByToggler = 1, kBlockRelation = 2 };
  struct Watch {
    int64_t seen = -1;         // the newest toggle this client has seen
    uint32_t hint = 0;         // where the toggler's entry was in its last list
    uint8_t mask = kVisible;   // what the toggler's relations hide from this client
    uint64_t fingerprint = 0;  // hash of its last list (set-up only)
  };
  struct ToggleCounters {
    uint64_t samples = 0;          // (client, toggle) pairs seen: latency samples
    uint64_t merged = 0;           // superseded before the client saw them
    uint64_t missing = 0;          // lists without the toggler's entry (it should be there)
    uint64_t mask_violations = 0;  // masked clients shown the toggler's real camera
    uint64_t masked_lists = 0;     // lists received by masked clients
    uint64_t stale = 0;            // lists showing an older toggle than one already seen
    uint64_t ambiguous = 0;        // over a period of toggles since the last change seen
    uint64_t odd_values = 0;       // a video value no toggle sends
  };
  bool count_entries_ = true;  // count who entries (set-up); off for who-toggle
  bool toggle_watch_ = false;
  bool toggle_measuring_ = false;
  bool fingerprints_ = false;
  std::vector<Watch> watch_;
  std::vector<Clock::time_point> toggle_at_;  // when toggle k was sent
  std::string toggler_needle_;                // "username":"uNNNN"
  ToggleCounters tc_;
};

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
  auto opt = bench::parse_options(argc, argv);
  if (!opt) {
    bench::usage();
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  const double cpu0 = bench::self_cpu_seconds();
  int rc = 0;
  {
    bench::Loadgen gen(std::move(*opt));
    rc = gen.run();
  }
  std::cerr << "loadgen: total CPU " << bench::self_cpu_seconds() - cpu0 << " s, peak RSS "
            << bench::self_max_rss_kib() / 1024 << " MiB" << std::endl;
  return rc;
}
