// idle: what connections cost in server memory. RSS at start, with N bare
// connections (WebSocket handshake only), then after L of them logged in and
// the room settled.
#include <algorithm>

#include "scenarios.hpp"

namespace bench {
namespace {

using namespace std::chrono_literals;

// The first `to_login` log in at once; done once all are logged in with a
// full who list and nothing arrived for 2 s (the server has freed what the
// storm needed), or at --timeout.
asio::awaitable<bool> login_and_settle(Loadgen& g, size_t to_login) {
  const auto t_login = Clock::now();
  for (size_t i = 0; i < to_login; ++i) g.send_login(i);
  auto next_report = t_login + 10s;
  const auto deadline = t_login + to_duration(g.opt().timeout);
  const bool settled = co_await g.wait_until(
      [&] {
        if (Clock::now() >= next_report) {
          next_report += 10s;
          g.log("  logging in: " + std::to_string(g.logged_in()) + " logged in, " +
                std::to_string(g.full()) + " with the full who list, " +
                std::to_string(g.dropped()) + " dropped");
        }
        return g.settled();
      },
      deadline, 10ms);
  if (settled) {
    const Counters& c = g.counters();
    co_await g.wait_until([&] { return Clock::now() - c.last_frame > 2s; }, deadline, 20ms);
  }
  co_return settled;
}

// Bytes of RSS per connection.
double per_conn(long kib, size_t n) {
  return n ? kib * 1024.0 / n : 0.0;
}

struct Readings {
  Usage start, bare, logged;
  double connect_s = 0;
  size_t bare_open = 0;
  Clock::time_point login_at{};
};

void report(Loadgen& g, const Readings& m, size_t to_login, bool settled) {
  const Counters& c = g.counters();
  size_t logged = 0;
  for (const User& u : g.users()) logged += u.me && !u.dropped;
  Result r;
  r.add("users", g.opt().users);
  r.add("connect_s", m.connect_s, 2);
  r.add("bare_open", m.bare_open);
  r.add("rss_start_mib", m.start.server_rss_kib / 1024.0, 1);
  r.add("rss_bare_mib", m.bare.server_rss_kib / 1024.0, 1);
  r.add("bare_bytes_per_conn",
        per_conn(m.bare.server_rss_kib - m.start.server_rss_kib, m.bare_open), 0);
  r.add("login_users", to_login);
  r.add("logged_in", logged);
  r.add("login_settled", settled ? 1 : 0);
  r.add("login_dropped", g.dropped());
  r.add("all_logged_in_s", g.logged_in() >= to_login ? seconds(c.last_me - m.login_at) : -1, 2);
  r.add("saw_full_list", g.full());
  r.add("who_frames", c.who_frames);
  r.add("who_mbytes", c.who_bytes / 1e6, 1);
  r.add("login_server_cpu_s", m.logged.server_cpu - m.bare.server_cpu, 2);
  r.add("rss_logged_in_mib", m.logged.server_rss_kib / 1024.0, 1);
  r.add("login_extra_bytes_per_user",
        per_conn(m.logged.server_rss_kib - m.bare.server_rss_kib, logged ? logged : to_login), 0);
  r.add("rss_peak_mib", m.logged.server_hwm_kib / 1024.0, 1);
  r.add("server_uptime_s", m.logged.server_uptime, 1);
  r.add("gen_cpu_s", m.logged.self_cpu - m.start.self_cpu, 2);
  add_other_cpu(r, m.start, m.logged);
  g.print(r);
}

}  // namespace

asio::awaitable<int> idle_memory(Loadgen& g) {
  co_await g.wait_server_idle();
  Readings m;
  m.start = g.usage_now();
  m.connect_s = co_await g.connect_all(g.opt().users);
  co_await g.sleep_for(2s);  // the server done with the handshakes before the reading
  m.bare = g.usage_now();
  m.bare_open = g.alive();
  const size_t to_login = std::min(g.opt().login_users, g.users().size());
  g.set_who_target(static_cast<uint32_t>(to_login));
  g.reset_counters();
  m.login_at = Clock::now();
  const bool settled = co_await login_and_settle(g, to_login);
  m.logged = g.usage_now();
  report(g, m, to_login, settled);
  if (g.opt().hold > 0) {
    g.log("holding the connections for " + fixed(g.opt().hold, 0) + " s");
    co_await g.sleep_for(to_duration(g.opt().hold));
  }
  co_return 0;
}

}  // namespace bench
