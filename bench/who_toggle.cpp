// who-toggle: how fast a camera change reaches everyone's who list. N users
// log in; some turn their camera on, some get one block or boot relation;
// then one user, the toggler, switches its camera every I ms for T s and
// every client's lists are watched for the toggler's `video` value
// (ToggleWatch).
#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "frames.hpp"
#include "scenarios.hpp"
#include "toggle_watch.hpp"

namespace bench {
namespace {

using namespace std::chrono_literals;

// Who has a camera and who has a relation, and what that hides.
struct Roles {
  uint32_t toggler = 0;
  std::vector<uint32_t> cams;
  std::vector<std::pair<uint32_t, std::string>> relation_msgs;  // (sender, boot/block)
  size_t n_rel = 0;                                             // users with a relation
  size_t n_boot = 0;                                            // of those, the booters
  size_t relation_viewers = 0;  // in a relation: named by one, or with a block list
  size_t masked_booted = 0;     // the toggler booted them
  size_t masked_blocked = 0;    // a block between them and the toggler
};

// How the set-up ended, reported with the measurement.
struct Setup {
  double connect_s = 0;
  bool settled = false;  // login and camera set-up
  size_t drops = 0;
  size_t listeners = 0;  // logged in, still connected
  size_t watchers = 0;   // of those, not masked
  size_t distinct_lists = 0;
  size_t largest_group = 0;
  size_t singletons = 0;  // lists seen by one user only
};

class WhoToggle final : public Tap {
 public:
  explicit WhoToggle(Loadgen& g) : g_(g), watch_(g.opt().tag != 0) {}

  asio::awaitable<int> run() {
    co_await g_.wait_server_idle();
    Setup setup;
    setup.connect_s = co_await g_.connect_all(g_.opt().users);
    const bool login_ok = co_await g_.login_all(g_.opt().setup_timeout, g_.opt().login_batch);
    g_.set_count_entries(false);  // 2000 entries × 2000 lists × rounds/s
    if (g_.users().size() < 2) {
      g_.log("who-toggle needs at least 2 users");
      co_return 1;
    }
    const auto t_setup = Clock::now();
    const Roles roles = choose_roles();
    if (!g_.users()[roles.toggler].me || g_.users()[roles.toggler].dropped) {
      g_.log("the toggler " + g_.username(roles.toggler) + " is not logged in: giving up");
      co_return 1;
    }
    log_roles(roles);
    const bool cameras_ok = co_await set_up_cameras(roles, t_setup, setup);
    setup.settled = login_ok && cameras_ok;
    setup.drops = g_.dropped();
    co_await g_.wait_min_uptime();
    co_await measure(roles, setup);
    co_return 0;
  }

  void on_frame(uint32_t i, std::string_view action, std::string_view p,
                Clock::time_point now) override {
    if (action == "who" && watching_) watch_.on_list(i, p, now, g_.counters().latency);
  }

 private:
  // Independent random choices (seeded: the same users every run), except
  // that the toggler has its camera on and, when there are relations at all,
  // is one of the booters, so that the masked path is exercised.
  Roles choose_roles() {
    const Options& opt = g_.opt();
    const size_t n = g_.users().size();
    std::mt19937_64 rng(opt.seed);
    std::vector<uint32_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
    std::shuffle(order.begin(), order.end(), rng);
    Roles roles;
    roles.toggler = order[0];
    const size_t n_cams =
        std::clamp<size_t>(static_cast<size_t>(std::llround(n * opt.cams_pct / 100)), 1, n);
    roles.n_rel = std::min(n, static_cast<size_t>(std::llround(n * opt.relations_pct / 100)));
    roles.cams.assign(order.begin(), order.begin() + static_cast<ptrdiff_t>(n_cams));
    std::shuffle(order.begin() + 1, order.end(), rng);
    std::vector<uint32_t> related(order.begin(),
                                  order.begin() + static_cast<ptrdiff_t>(roles.n_rel));
    roles.n_boot = (roles.n_rel + 1) / 2;  // the first ones boot (the toggler among them)
    watch_.reset(n, g_.username(roles.toggler));
    add_relations(roles, related, rng);
    return roles;
  }

  // One relation per related user, to a random other user: the first n_boot
  // boot, the others block. Marks the clients it masks the toggler for.
  void add_relations(Roles& roles, const std::vector<uint32_t>& related, std::mt19937_64& rng) {
    const size_t n = g_.users().size();
    auto random_other = [&](uint32_t self) {
      auto t = static_cast<uint32_t>(rng() % (n - 1));
      return t >= self ? t + 1 : t;
    };
    std::vector<char> in_relation(n, 0);
    for (size_t r = 0; r < related.size(); ++r) {
      const uint32_t who = related[r];
      const uint32_t target = random_other(who);
      const bool boot = r < roles.n_boot;
      roles.relation_msgs.emplace_back(who, std::string(R"({"action":")") +
                                                (boot ? "boot" : "block") + R"(","username":")" +
                                                g_.username(target) + R"("})");
      in_relation[target] = 1;          // named by a relation
      if (!boot) in_relation[who] = 1;  // has a block list
      if (boot && who == roles.toggler && watch_[target].mask == ToggleWatch::kVisible) {
        watch_[target].mask = ToggleWatch::kBootedByToggler;
        ++roles.masked_booted;
      }
      if (!boot && target == roles.toggler && watch_[who].mask != ToggleWatch::kBlockRelation) {
        if (watch_[who].mask == ToggleWatch::kBootedByToggler) --roles.masked_booted;
        watch_[who].mask = ToggleWatch::kBlockRelation;
        ++roles.masked_blocked;
      }
    }
    roles.relation_viewers =
        static_cast<size_t>(std::count(in_relation.begin(), in_relation.end(), 1));
  }

  void log_roles(const Roles& r) const {
    g_.log("toggler " + g_.username(r.toggler) + "; " + std::to_string(r.cams.size()) +
           " cameras on, " + std::to_string(r.n_rel) + " users with a relation (" +
           std::to_string(r.n_boot) + " boot, " + std::to_string(r.n_rel - r.n_boot) + " block), " +
           std::to_string(r.relation_viewers) +
           " viewers in a relation; the toggler is masked for " +
           std::to_string(r.masked_booted + r.masked_blocked) + " (" +
           std::to_string(r.masked_booted) + " booted, " + std::to_string(r.masked_blocked) +
           " block)");
  }

  // Cameras on, relations, and the toggler's camera last (toggle 0); waits
  // until every client shows it and no list arrived for 0.5 s, then counts
  // the distinct lists of that last round.
  asio::awaitable<bool> set_up_cameras(const Roles& roles, Clock::time_point t_setup,
                                       Setup& setup) {
    watching_ = true;
    watch_.fingerprints = true;
    for (uint32_t i : roles.cams) {
      if (i != roles.toggler) send_me(i, 1);
    }
    for (auto& [who, text] : roles.relation_msgs) g_.conn(who).send_text(text);
    watch_.sent(Clock::now());
    send_me(roles.toggler, watch_.video_of(0));
    const Counters& n = g_.counters();
    const bool ok =
        co_await g_.wait_until([&] { return all_saw(0) && Clock::now() - n.last_who > 500ms; },
                               t_setup + to_duration(g_.opt().setup_timeout), 10ms);
    watch_.fingerprints = false;
    count_groups(setup);
    g_.log(std::string(ok ? "settled" : "NOT settled (timed out)") + " in " +
           fixed(seconds(Clock::now() - t_setup), 2) +
           " s: " + std::to_string(setup.distinct_lists) + " distinct who lists among " +
           std::to_string(setup.listeners) + " users (largest group " +
           std::to_string(setup.largest_group) + ", " + std::to_string(setup.singletons) +
           " lists seen by one user only)");
    co_return ok;
  }

  // Distinct lists in the last round: viewers that share a frame get
  // byte-identical lists.
  void count_groups(Setup& setup) {
    std::map<uint64_t, size_t> groups;
    for (size_t i = 0; i < g_.users().size(); ++i) {
      if (!g_.users()[i].me || g_.users()[i].dropped) continue;
      ++setup.listeners;
      ++groups[watch_[i].fingerprint];
    }
    for_each_watcher([&](size_t, const ToggleWatch::Watch&) { ++setup.watchers; });
    std::vector<size_t> sizes;
    for (auto& [_, count] : groups) sizes.push_back(count);
    std::sort(sizes.rbegin(), sizes.rend());
    setup.singletons = static_cast<size_t>(std::count(sizes.begin(), sizes.end(), 1));
    setup.distinct_lists = groups.size();
    setup.largest_group = sizes.empty() ? 0 : sizes[0];
  }

  // Toggles every --interval-ms for --duration s, then waits until everybody
  // saw the last toggle, 2 s without a list, or 10 s.
  asio::awaitable<void> measure(const Roles& roles, const Setup& setup) {
    g_.reset_counters();
    watch_.measuring = true;
    const ThreadCpu threads0 = read_thread_cpu(g_.opt().pid);
    const Usage u0 = g_.usage_now();
    co_await send_toggles(roles.toggler, u0.at);
    const auto t_sent = Clock::now();
    const int64_t last = watch_.last();
    const Counters& n = g_.counters();
    co_await g_.wait_until(
        [&] { return all_saw(last) || Clock::now() - std::max(n.last_who, t_sent) > 2s; },
        t_sent + 10s, 5ms);
    watch_.measuring = false;
    const Usage u1 = g_.usage_now();
    report(roles, setup, u0, u1, t_sent, thread_cpu_since(g_.opt().pid, threads0));
  }

  asio::awaitable<void> send_toggles(uint32_t toggler, Clock::time_point t0) {
    const Options& opt = g_.opt();
    const auto total = static_cast<int64_t>(std::llround(opt.duration * 1000 / opt.interval_ms));
    auto next_report = t0 + 5s;
    for (int64_t k = 1; k <= total;) {
      const auto due = t0 + to_duration(static_cast<double>(k - 1) * opt.interval_ms / 1e3);
      const auto now = Clock::now();
      if (due > now) {
        co_await g_.sleep_for(std::min<Clock::duration>(due - now, 50ms));
        if (Clock::now() >= next_report) {
          next_report += 5s;
          log_progress(t0);
        }
        continue;
      }
      if (!g_.conn(toggler).open() || !g_.server_alive()) break;
      watch_.sent(Clock::now());
      send_me(toggler, watch_.video_of(k));
      ++k;
    }
  }

  void log_progress(Clock::time_point t0) const {
    const Counters& n = g_.counters();
    const auto& c = watch_.counts();
    g_.log("  " + fixed(seconds(Clock::now() - t0), 0) + " s: " + std::to_string(watch_.last()) +
           " toggles, " + std::to_string(c.samples) + " seen, " + std::to_string(c.merged) +
           " merged, " + std::to_string(n.who_frames) + " lists, p50 " +
           fixed(n.latency.percentile(0.5) / 1e3, 1) + " ms");
  }

  void report(const Roles& roles, const Setup& setup, const Usage& u0, const Usage& u1,
              Clock::time_point t_sent, const std::string& per_thread) {
    const Counters& n = g_.counters();
    const auto& c = watch_.counts();
    const int64_t last = watch_.last();
    uint64_t unseen = 0;
    size_t eligible = 0;
    for_each_watcher([&](size_t, const ToggleWatch::Watch& w) {
      ++eligible;
      unseen += static_cast<uint64_t>(last - std::min(w.seen, last));
    });
    const size_t alive_users = g_.alive();
    const double window = seconds(std::max(n.last_who, t_sent) - u0.at);
    const double server_cpu = u1.server_cpu - u0.server_cpu;
    const double gen_cpu = u1.self_cpu - u0.self_cpu;
    const uint64_t expected = static_cast<uint64_t>(last) * eligible;
    Result r;
    r.add("users", g_.opt().users);
    r.add("logged_in", setup.listeners);
    r.add("settled", setup.settled ? 1 : 0);
    r.add("setup_dropped", setup.drops);
    r.add("connect_s", setup.connect_s, 2);
    r.add("setup_s", seconds(u0.at - g_.started()), 2);
    r.add("cams", roles.cams.size());
    r.add("relation_users", roles.n_rel);
    r.add("relation_viewers", roles.relation_viewers);
    r.add("distinct_lists", setup.distinct_lists);
    r.add("largest_list_group", setup.largest_group);
    r.add("masked_clients", roles.masked_booted + roles.masked_blocked);
    r.add("clients_measured", eligible);
    r.add("watchers_at_start", setup.watchers);
    r.add("interval_ms", g_.opt().interval_ms, 1);
    r.add("toggles", static_cast<uint64_t>(last));
    r.add("duration_s", window, 2);
    r.add("expected", expected);
    r.add("seen", c.samples);
    r.add("merged", c.merged);
    r.add("unseen", unseen);
    r.add("seen_pct", expected ? 100.0 * c.samples / expected : 0.0, 1);
    r.add("merged_pct", expected ? 100.0 * c.merged / expected : 0.0, 1);
    add_latency(r, n.latency);
    r.add("who_frames", n.who_frames);
    r.add(
        "lists_per_client_s",
        alive_users && window > 0 ? n.who_frames / static_cast<double>(alive_users) / window : 0.0,
        2);
    r.add("list_kbytes", n.who_frames ? n.who_bytes / 1e3 / n.who_frames : 0.0, 1);
    r.add("who_mbytes", n.who_bytes / 1e6, 1);
    r.add("who_mbytes_per_s", window > 0 ? n.who_bytes / 1e6 / window : 0.0, 1);
    r.add("server_cpu_s", server_cpu, 2);
    r.add("server_cpu_pct", window > 0 ? 100 * server_cpu / window : 0.0, 0);
    r.add("server_ms_per_toggle", last > 0 ? 1e3 * server_cpu / last : 0.0, 2);
    r.kv.emplace_back("server_threads_cpu_s", per_thread.empty() ? "-" : per_thread);
    r.add("gen_cpu_s", gen_cpu, 2);
    r.add("gen_cpu_pct", window > 0 ? 100 * gen_cpu / window : 0.0, 0);
    add_other_cpu(r, u0, u1);
    r.add("dropped", n.drops);
    r.add("missing_entry", c.missing);
    r.add("mask_violations", c.mask_violations);
    r.add("masked_lists", c.masked_lists);
    r.add("stale", c.stale);
    r.add("ambiguous", c.ambiguous);
    r.add("odd_values", c.odd_values);
    g_.print(r);
    warn_if_busy(u0, u1, window);
  }

  void warn_if_busy(const Usage& u0, const Usage& u1, double window) const {
    const double other = other_cpu_seconds(u0, u1);
    if (other > 0.05 * std::max(window, 1.0)) {
      g_.log("WARNING: other processes used " + fixed(other, 2) + " s of CPU during the " +
             fixed(window, 1) + " s window: the machine was not quiet, repeat the run");
    }
  }

  bool all_saw(int64_t k) {
    bool all = true;
    for_each_watcher([&](size_t, const ToggleWatch::Watch& w) { all = all && w.seen >= k; });
    return all;
  }

  void send_me(uint32_t i, int64_t video) {
    std::string text = R"({"action":"me","video":)";
    append_number(text, static_cast<uint64_t>(video));
    text += R"(,"status":"online"})";
    g_.conn(i).send_text(text);
  }

  // Clients that can see the toggler's camera, still connected.
  template <class F>
  void for_each_watcher(F f) {
    const auto& users = g_.users();
    for (size_t i = 0; i < users.size(); ++i) {
      if (users[i].me && !users[i].dropped && watch_[i].mask == ToggleWatch::kVisible) {
        f(i, watch_[i]);
      }
    }
  }

  Loadgen& g_;
  ToggleWatch watch_;
  bool watching_ = false;  // lists are looked at from the camera set-up on
};

}  // namespace

asio::awaitable<int> who_toggle(Loadgen& g) {
  WhoToggle scenario(g);
  TapScope tap(g, scenario);
  co_return co_await scenario.run();
}

}  // namespace bench
