// Getting a room ready: opening the connections and logging users in, the
// set-up every scenario starts with (the part of Loadgen it times, but
// usually does not measure).
#include <algorithm>

#include "loadgen.hpp"

namespace bench {

using namespace std::chrono_literals;

// Keeps --connect-concurrency handshakes in flight: opening 10,000 at once
// would overflow the server's accept backlog and time some out.
void Loadgen::start_more() {
  while (next_ < target_ && connecting_ < opt_.connect_concurrency) {
    const size_t i = next_++;
    ++connecting_;
    const size_t server = i % servers_.size();
    conns_[i]->start(servers_[server], sources_[(i / servers_.size()) % sources_.size()],
                     host_headers_[server]);
  }
}

asio::awaitable<double> Loadgen::connect_all(size_t n) {
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

bool Loadgen::settled() const {
  size_t room = 0;
  for (const User& u : users_) room += u.login_sent && !u.dropped;
  for (const User& u : users_) {
    if (!u.login_sent || u.dropped) continue;
    if (!u.me || u.who_max < room) return false;
  }
  return true;
}

asio::awaitable<bool> Loadgen::login_all(double timeout, size_t batch) {
  const auto t0 = Clock::now();
  const auto deadline = t0 + to_duration(timeout);
  who_target_ = static_cast<uint32_t>(alive());
  if (batch == 0) batch = users_.size();
  auto next_report = t0 + 10s;
  auto progress = [&] {
    if (Clock::now() < next_report) return;
    next_report += 10s;
    log("  logging in: " + std::to_string(logins_sent_) + " sent, " + std::to_string(logged_in_) +
        " logged in, " + std::to_string(dropped_) + " dropped");
  };
  bool ok = true;
  for (size_t next = 0; next < users_.size() && ok;) {
    for (size_t end = std::min(users_.size(), next + batch); next < end; ++next) send_login(next);
    ok = co_await wait_until(
        [&] {
          progress();
          return settled();
        },
        deadline, batch < users_.size() ? 1ms : 10ms);
  }
  if (!ok) log_unsettled();
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

// Where a set-up that timed out got stuck.
void Loadgen::log_unsettled() const {
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

}  // namespace bench
