// fanout and fanout-max: public messages to a whole room. Every receiver finds
// the marker (send time, sender, sequence) in the message it gets, so each
// delivery is one latency sample against the same steady clock.
#include <algorithm>
#include <cmath>

#include "frames.hpp"
#include "redis_info.hpp"
#include "scenarios.hpp"

namespace bench {
namespace {

using namespace std::chrono_literals;

// What the set-up left, reported with the measurement.
struct Setup {
  double connect_s = 0;
  bool settled = false;
  size_t drops = 0;
  double seconds = 0;
};

class Fanout final : public Tap {
 public:
  Fanout(Loadgen& g, bool max_mode) : g_(g), max_mode_(max_mode) {}

  asio::awaitable<int> run() {
    co_await g_.wait_server_idle();
    Setup setup;
    setup.connect_s = co_await g_.connect_all(g_.opt().users);
    setup.settled = co_await g_.login_all(g_.opt().setup_timeout, g_.opt().login_batch);
    setup.drops = g_.dropped();
    setup.seconds = seconds(Clock::now() - g_.started());
    co_await g_.wait_min_uptime();
    pick_senders();
    if (senders_.empty()) {
      g_.log("no logged-in sender: giving up");
      co_return 1;
    }
    co_await measure(setup);
    co_return 0;
  }

  void on_frame(uint32_t i, std::string_view action, std::string_view p,
                Clock::time_point now) override {
    if (action != "message" || !measuring_) return;
    Counters& n = g_.counters();
    const auto m = find_marker(p);
    if (!m) {
      ++n.unmarked;
      return;
    }
    ++n.deliveries;
    const uint64_t now_ns = steady_ns(now);
    const uint64_t us = now_ns > m->ns ? (now_ns - m->ns) / 1000 : 0;
    n.latency.add(us);
    // By path: the sender's own copy; a recipient on the sender's server; one
    // on another server (a cluster's other node).
    if (m->sender == i) {
      self_.add(us);
    } else if (m->sender < g_.users().size() && g_.server_of(m->sender) == g_.server_of(i)) {
      same_.add(us);
    } else {
      cross_.add(us);
    }
    n.last_delivery = now;
    User& u = g_.users()[i];
    if (m->sender == i && u.inflight > 0) {  // the sender's own copy came back
      --u.inflight;
      if (max_sending_) send_message(i);
    }
  }

 private:
  // The first --senders users still connected.
  void pick_senders() {
    const auto& users = g_.users();
    for (size_t i = 0; i < users.size() && senders_.size() < g_.opt().senders; ++i) {
      if (users[i].me && !users[i].dropped) senders_.push_back(static_cast<uint32_t>(i));
    }
  }

  asio::awaitable<void> measure(const Setup& setup) {
    const size_t receivers = g_.alive();
    g_.reset_counters();
    self_ = same_ = cross_ = LatencyHistogram{};
    sent_ = 0;
    measuring_ = true;
    const ThreadCpu threads0 = read_thread_cpu(g_.opt().pid);
    if (g_.opt().redis_port) redis0_ = read_redis(g_.opt().redis_port, g_.opt().redis_stream);
    const Usage u0 = g_.usage_now();
    t0_ = u0.at;
    next_report_ = u0.at + 5s;
    if (max_mode_) {
      co_await send_max(u0.at + to_duration(g_.opt().duration));
    } else {
      co_await send_fixed_rate(u0.at);
    }
    const auto t_sent = Clock::now();
    const uint64_t expected = sent_ * receivers;
    co_await drain(expected);
    measuring_ = false;
    threads_ = thread_cpu_since(g_.opt().pid, threads0);
    const Usage u1 = g_.usage_now();
    if (g_.opt().redis_port) redis1_ = read_redis(g_.opt().redis_port, g_.opt().redis_stream);
    report(setup, receivers, u0, u1, t_sent, expected);
  }

  // Every sender keeps --inflight messages on their way until `t_end`: the
  // next one leaves when its own copy comes back (on_frame).
  asio::awaitable<void> send_max(Clock::time_point t_end) {
    max_sending_ = true;
    for (uint32_t s : senders_) {
      for (size_t k = 0; k < g_.opt().inflight; ++k) send_message(s);
    }
    while (Clock::now() < t_end && g_.alive() > 0 && g_.server_alive()) {
      co_await g_.sleep_for(50ms);
      progress();
    }
    max_sending_ = false;
  }

  // Message k is due at t0 + k / rate, round-robin over the senders: a
  // schedule, not a pace, so a late wake-up is caught up at once.
  asio::awaitable<void> send_fixed_rate(Clock::time_point t0) {
    const double interval = 1.0 / g_.opt().rate;
    const auto total = static_cast<uint64_t>(std::llround(g_.opt().rate * g_.opt().duration));
    uint64_t k = 0;
    size_t next_sender = 0;
    while (k < total && g_.alive() > 0) {
      const auto due = t0 + to_duration(static_cast<double>(k) * interval);
      const auto now = Clock::now();
      if (due > now) {
        co_await g_.sleep_for(std::min<Clock::duration>(due - now, 50ms));
        progress();
        continue;
      }
      // Round-robin over the senders still connected.
      for (size_t tries = 0; tries < senders_.size(); ++tries) {
        const uint32_t sender = senders_[next_sender++ % senders_.size()];
        if (g_.conn(sender).open()) {
          send_message(sender);
          break;
        }
      }
      ++k;
    }
  }

  // Waits for the deliveries still on their way: until all expected arrived,
  // nothing arrived for 2 s, or 15 s passed.
  asio::awaitable<void> drain(uint64_t expected) {
    const auto t0 = Clock::now();
    const Counters& n = g_.counters();
    co_await g_.wait_until(
        [&] {
          const auto last = std::max(n.last_delivery, t0);
          return n.deliveries >= expected || Clock::now() - last > 2s;
        },
        t0 + 15s, 5ms);
  }

  void progress() {
    if (Clock::now() < next_report_) return;
    const Counters& n = g_.counters();
    next_report_ += 5s;
    g_.log("  " + fixed(seconds(Clock::now() - t0_), 0) + " s: sent " + std::to_string(sent_) +
           ", delivered " + std::to_string(n.deliveries) + ", dropped " + std::to_string(n.drops));
  }

  void send_message(uint32_t i) {
    Connection& c = g_.conn(i);
    if (!c.open()) return;
    User& u = g_.users()[i];
    msg_buf_.assign(R"({"action":"message","channel":")");
    msg_buf_.append(g_.opt().channel);
    msg_buf_.append(R"(","message":"Zq)");
    append_number(msg_buf_, steady_ns(Clock::now()));
    msg_buf_.push_back('x');
    append_number(msg_buf_, i);
    msg_buf_.push_back('x');
    append_number(msg_buf_, u.seq++);
    msg_buf_.append("Zq");
    if (g_.opt().padding) {
      msg_buf_.push_back(' ');
      msg_buf_.append(g_.opt().padding, 'a');
    }
    msg_buf_.append(R"("})");
    c.send_text(msg_buf_);
    ++u.inflight;
    ++sent_;
  }

  void report(const Setup& setup, size_t receivers, const Usage& u0, const Usage& u1,
              Clock::time_point t_sent, uint64_t expected) const {
    const Counters& n = g_.counters();
    const Options& opt = g_.opt();
    const auto last = std::max(n.last_delivery, t_sent);
    const double window = seconds(last - u0.at);
    const double server_cpu = u1.server_cpu - u0.server_cpu;
    const uint64_t lost = expected > n.deliveries ? expected - n.deliveries : 0;
    Result r;
    r.add("users", opt.users);
    r.add("logged_in", receivers);
    r.add("settled", setup.settled ? 1 : 0);
    r.add("setup_dropped", setup.drops);
    r.add("connect_s", setup.connect_s, 2);
    r.add("setup_s", setup.seconds, 2);
    r.add("senders", senders_.size());
    if (max_mode_) {
      r.add("inflight", opt.inflight);
    } else {
      r.add("rate", opt.rate, 1);
    }
    r.add("duration_s", window, 2);
    r.add("sent", sent_);
    r.add("msgs_per_s", sent_ / seconds(t_sent - u0.at), 1);
    r.add("expected", expected);
    r.add("delivered", n.deliveries);
    r.add("lost", lost);
    r.add("lost_pct", expected ? 100.0 * lost / expected : 0.0, 3);
    r.add("dropped", n.drops);
    r.add("deliveries_per_s", window > 0 ? n.deliveries / window : 0, 0);
    add_latency(r, n.latency);
    r.add("server_cpu_s", server_cpu, 2);
    r.add("server_cpu_pct", 100 * server_cpu / window, 0);
    r.add("server_us_per_delivery", n.deliveries ? 1e6 * server_cpu / n.deliveries : 0, 3);
    const double user_cpu = u1.server_user_cpu - u0.server_user_cpu;
    r.add("server_user_us_per_delivery", n.deliveries ? 1e6 * user_cpu / n.deliveries : 0, 3);
    r.kv.emplace_back("server_threads_cpu_s", threads_.empty() ? "-" : threads_);
    add_paths(r, u0, u1);
    r.add("gen_cpu_s", u1.self_cpu - u0.self_cpu, 2);
    add_other_cpu(r, u0, u1);
    r.add("who_frames", n.who_frames);
    r.add("unmarked", n.unmarked);
    g_.print(r);
  }

  static void add_hist(Result& r, const std::string& name, const LatencyHistogram& h) {
    r.add("lat_" + name + "_n", h.count());
    r.add("lat_" + name + "_p50_ms", h.percentile(0.50) / 1e3, 2);
    r.add("lat_" + name + "_p99_ms", h.percentile(0.99) / 1e3, 2);
  }

  // Several servers (a cluster) and Redis: latency by path, CPU per server
  // and of the aux processes, Redis's commands and bytes over the window.
  void add_paths(Result& r, const Usage& u0, const Usage& u1) const {
    add_hist(r, "self", self_);
    add_hist(r, "same", same_);
    add_hist(r, "cross", cross_);
    r.add("servers", g_.server_count());
    r.kv.emplace_back("server_cpu_by_pid_s",
                      u1.server_cpu_each.empty() ? "-" : server_cpu_each_since(u0, u1));
    r.add("aux_cpu_s", u1.aux_cpu - u0.aux_cpu, 2);
    if (!g_.opt().redis_port) return;
    if (!redis0_.ok || !redis1_.ok) {
      r.add("redis_read_failed", 1);
      return;
    }
    auto delta = [&](const std::string& k) { return redis1_.number(k) - redis0_.number(k); };
    auto cmd = [&](const std::string& c, const std::string& f) {
      return redis1_.stat(c, f) - redis0_.stat(c, f);
    };
    const double xadds = cmd("xadd", "calls");
    r.add("redis_xadd", static_cast<uint64_t>(xadds));
    r.add("redis_xadd_usec", cmd("xadd", "usec"), 0);
    r.add("redis_xread", static_cast<uint64_t>(cmd("xread", "calls")));
    r.add("redis_xread_usec", cmd("xread", "usec"), 0);
    r.add("redis_commands", delta("total_commands_processed"), 0);
    r.add("redis_net_in_bytes", delta("total_net_input_bytes"), 0);
    r.add("redis_net_out_bytes", delta("total_net_output_bytes"), 0);
    r.add("redis_aof_bytes",
          redis1_.number("aof_current_size") - redis0_.number("aof_current_size"), 0);
    r.add("redis_used_memory", redis1_.number("used_memory"), 0);
    r.add("redis_xlen", static_cast<uint64_t>(std::max<int64_t>(0, redis1_.xlen)));
    r.add("redis_xlen_growth",
          static_cast<uint64_t>(std::max<int64_t>(0, redis1_.xlen - redis0_.xlen)));
    const double aux = u1.aux_cpu - u0.aux_cpu;
    const double server = u1.server_cpu - u0.server_cpu;
    if (xadds > 0) {
      r.add("redis_cpu_us_per_entry", 1e6 * aux / xadds, 1);
      r.add("server_cpu_us_per_entry", 1e6 * server / xadds, 1);
      r.add("redis_in_bytes_per_entry", delta("total_net_input_bytes") / xadds, 0);
      r.add("redis_out_bytes_per_entry", delta("total_net_output_bytes") / xadds, 0);
    }
  }

  Loadgen& g_;
  const bool max_mode_;
  LatencyHistogram self_, same_, cross_;
  RedisReading redis0_, redis1_;
  std::string threads_;  // server CPU per thread over the measured window
  bool measuring_ = false;
  bool max_sending_ = false;
  uint64_t sent_ = 0;
  std::vector<uint32_t> senders_;
  std::string msg_buf_;
  Clock::time_point t0_{};  // the start of the measurement
  Clock::time_point next_report_{};
};

}  // namespace

asio::awaitable<int> fanout(Loadgen& g, bool max_mode) {
  Fanout scenario(g, max_mode);
  TapScope tap(g, scenario);
  co_return co_await scenario.run();
}

}  // namespace bench
