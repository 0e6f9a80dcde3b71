// join: N connections are opened first (not timed), then all send `login` at
// once. Measures how long until everyone is logged in and holds a who list
// of all N, and what the who lists cost on the way.
#include <algorithm>

#include "scenarios.hpp"

namespace bench {
namespace {

using namespace std::chrono_literals;

// Until every user saw the full list, or nothing new for 5 s once everyone is
// logged in or dropped, or --timeout.
asio::awaitable<bool> wait_complete(Loadgen& g, size_t n, Clock::time_point t0) {
  auto next_report = t0 + 5s;
  const Counters& c = g.counters();
  co_return co_await g.wait_until(
      [&] {
        const auto now = Clock::now();
        if (now >= next_report) {
          next_report += 5s;
          g.log("  " + fixed(seconds(now - t0), 0) + " s: " + std::to_string(g.logged_in()) +
                " logged in, " + std::to_string(g.full()) + " saw all " + std::to_string(n) +
                ", dropped " + std::to_string(g.dropped()));
        }
        if (g.full() >= n) return true;
        const auto last = std::max({c.last_who, c.last_me, t0});
        return g.logged_in() + g.dropped() >= n && now - last > 5s;
      },
      t0 + to_duration(g.opt().timeout), 2ms);
}

void report(Loadgen& g, size_t n, double connect_s, bool complete, const Usage& u0,
            const Usage& u1) {
  const Counters& c = g.counters();
  const double all_me = g.logged_in() >= n ? seconds(c.last_me - u0.at) : -1;
  const double all_full = g.full() >= n ? seconds(c.last_full - u0.at) : -1;
  Result r;
  r.add("users", n);
  r.add("connect_s", connect_s, 2);
  r.add("complete", complete && g.full() >= n ? 1 : 0);
  r.add("all_logged_in_s", all_me, 3);
  r.add("all_full_who_s", all_full, 3);
  r.add("logged_in", g.logged_in());
  r.add("saw_full_list", g.full());
  r.add("dropped", c.drops);
  r.add("who_frames", c.who_frames);
  r.add("who_frames_per_user", n ? static_cast<double>(c.who_frames) / n : 0, 1);
  r.add("who_mbytes", c.who_bytes / 1e6, 1);
  r.add("server_cpu_s", u1.server_cpu - u0.server_cpu, 2);
  r.add("gen_cpu_s", u1.self_cpu - u0.self_cpu, 2);
  add_other_cpu(r, u0, u1);
  g.print(r);
}

}  // namespace

asio::awaitable<int> join_storm(Loadgen& g) {
  co_await g.wait_server_idle();
  const double connect_s = co_await g.connect_all(g.opt().users);
  co_await g.wait_min_uptime();
  co_await g.sleep_for(500ms);  // the server done with the handshakes before the readings
  const size_t n = g.alive();
  g.set_who_target(static_cast<uint32_t>(n));
  g.reset_counters();
  const Usage u0 = g.usage_now();
  for (size_t i = 0; i < g.users().size(); ++i) g.send_login(i);
  const bool complete = co_await wait_complete(g, n, u0.at);
  report(g, n, connect_s, complete, u0, g.usage_now());
  co_return 0;
}

}  // namespace bench
