#include "loadgen.hpp"

#include <boost/asio/co_spawn.hpp>

#include <algorithm>
#include <iostream>

#include "frames.hpp"

namespace bench {

using namespace std::chrono_literals;

Loadgen::Loadgen(Options o) : opt_(std::move(o)) {
  for (uint16_t port : opt_.ports) {
    servers_.emplace_back(asio::ip::make_address(opt_.host), port);
    host_headers_.push_back(opt_.host + ":" + std::to_string(port));
  }
  for (size_t i = 0; i < opt_.src_ips; ++i) {
    if (opt_.src_ips == 1) {
      sources_.push_back(asio::ip::address());  // kernel's choice
    } else {
      sources_.push_back(asio::ip::make_address_v4(0x7F000001u + static_cast<uint32_t>(i)));
    }
  }
  name_width_ = std::max<size_t>(4, std::to_string(opt_.users - 1).size());
}

int Loadgen::run(const Scenario& scenario) {
  int status = 0;
  asio::co_spawn(io_, body(scenario), [&](std::exception_ptr e, int rc) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        std::cerr << "loadgen: " << ex.what() << "\n";
      }
      rc = 1;
    }
    status = rc;
    // Closing now, without close handshakes: what the server sees after the
    // run is not measured.
    shutting_down_ = true;
    for (auto& c : conns_) c->abort();
    loop_.stop();
    io_.stop();
  });
  io_.run();
  return status;
}

asio::awaitable<int> Loadgen::body(const Scenario& scenario) {
  started_ = Clock::now();
  std::string at, pids;
  for (const auto& h : host_headers_) at += (at.empty() ? "" : ",") + h;
  for (pid_t p : opt_.pids) pids += (pids.empty() ? "" : ",") + std::to_string(p);
  log(opt_.scenario + " against " + opt_.label + " at " + at + " (pid " +
      (pids.empty() ? "0" : pids) + "), users " + std::to_string(opt_.users));
  const int rc = co_await scenario(*this);
  for (auto& [why, count] : drop_reasons_) {
    log("  dropped x" + std::to_string(count) + ": " + why);
  }
  co_return rc;
}

// --- connection events ---------------------------------------------------------

void Loadgen::on_open(Connection& c) {
  users_[c.index()].opened = true;
  ++opened_;
  --connecting_;
  start_more();
}

void Loadgen::on_text(Connection& c, std::string_view p, Clock::time_point now) {
  const uint32_t i = c.index();
  if (i == trace_) trace(p, now);
  n_.last_frame = now;
  const std::string_view action = action_of(p);
  if (action == "who") {
    count_who(users_[i], p, now);
  } else if (action == "me") {
    count_me(users_[i], now);
  } else if (action != "message") {  // messages are the fan-out scenarios' business
    ++n_.other_frames;
  }
  if (tap_) tap_->on_frame(i, action, p, now);
}

void Loadgen::count_who(User& u, std::string_view p, Clock::time_point now) {
  ++n_.who_frames;
  n_.who_bytes += p.size();
  n_.last_who = now;
  if (!count_entries_) return;
  u.who_last = count_who_entries(p);
  u.who_max = std::max(u.who_max, u.who_last);
  if (!u.full && who_target_ > 0 && u.who_last >= who_target_) {
    u.full = true;
    u.full_at = now;
    ++full_;
    n_.last_full = now;
  }
}

void Loadgen::count_me(User& u, Clock::time_point now) {
  if (u.me) return;  // later `me` frames echo settings, not the login
  u.me = true;
  ++logged_in_;
  n_.last_me = now;
}

void Loadgen::trace(std::string_view p, Clock::time_point now) const {
  std::cerr << "trace #" << trace_ << " " << seconds(now - started_) << "s: " << p.substr(0, 300)
            << (p.size() > 300 ? "..." : "") << "\n";
}

void Loadgen::on_closed(Connection& c, std::string_view why, int close_code) {
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
  if (tap_) tap_->on_drop(c.index());
}

// --- readings and waits ------------------------------------------------------

void Loadgen::reset_counters() {
  n_ = Counters{};
  drop_reasons_.clear();
}

bool Loadgen::server_alive() const {
  for (pid_t p : opt_.pids) {
    if (!process_cpu_seconds(p).has_value()) return false;
  }
  return true;
}

asio::awaitable<void> Loadgen::sleep_for(Clock::duration d) {
  asio::steady_timer t(io_, d);
  co_await t.async_wait(asio::use_awaitable);
}

// Waits until the servers use under 3 % of a core: leftovers of an earlier
// run, such as a storm of departures, must not count here.
asio::awaitable<void> Loadgen::wait_server_idle() {
  if (!opt_.pid || opt_.idle_wait <= 0) co_return;
  const auto start = Clock::now();
  const auto deadline = start + to_duration(opt_.idle_wait);
  double before = usage_now().server_cpu;
  while (Clock::now() < deadline) {
    co_await sleep_for(1s);
    const double after = usage_now().server_cpu;
    if (after - before < 0.03) break;
    before = after;
  }
  const double waited = seconds(Clock::now() - start);
  if (waited > 1.5) log("waited " + fixed(waited, 1) + " s for the server to go idle");
}

// Waits until the server has been up for --min-uptime seconds: the
// original's start-up quiet periods must be over before measuring.
asio::awaitable<void> Loadgen::wait_min_uptime() {
  if (!opt_.pid || opt_.min_uptime <= 0) co_return;
  const double up = process_uptime_seconds(opt_.pid).value_or(opt_.min_uptime);
  if (up >= opt_.min_uptime) co_return;
  log("waiting " + fixed(opt_.min_uptime - up, 1) + " s until the server is " +
      fixed(opt_.min_uptime, 0) + " s old");
  co_await sleep_for(to_duration(opt_.min_uptime - up));
}

// --- users ---------------------------------------------------------------------

// u0000, u0001, ...: as wide as the largest index needs, so that names sort
// in index order (the server sorts who lists by name).
std::string Loadgen::username(size_t i) const {
  std::string digits = std::to_string(i);
  return "u" + std::string(name_width_ - std::min(name_width_, digits.size()), '0') + digits;
}

void Loadgen::send_login(size_t i, std::string_view extra) {
  if (!conns_[i]->open()) return;
  users_[i].login_sent = true;
  ++logins_sent_;
  std::string text = R"({"action":"login","username":")" + username(i) + '"';
  text += extra;
  text += '}';
  conns_[i]->send_text(text);
}

void Loadgen::log(const std::string& text) const {
  std::cerr << "[" << fixed(seconds(Clock::now() - started_), 1) << "s] " << text << std::endl;
}

}  // namespace bench
