// storm: N bare connections, then all N log in with at most K logins awaiting
// their `me`, then an idle hold, then (with deltas) camera toggles. See
// README.md, "What is measured".
#include "storm.hpp"

#include <algorithm>

#include "frames.hpp"
#include "scenarios.hpp"

namespace bench {

using namespace std::chrono_literals;

Storm::Storm(Loadgen& g) : g_(g), deltas_(g.opt().deltas != 0) {}

asio::awaitable<int> Storm::run() {
  co_await g_.wait_server_idle();
  const size_t n = g_.opt().users;
  m_.start = g_.usage_now();
  m_.connect_s = co_await g_.connect_all(n);
  co_await g_.sleep_for(2s);  // the server done with the handshakes before the reading
  m_.bare = g_.usage_now();
  m_.bare_open = g_.alive();
  co_await g_.wait_min_uptime();  // the original: its start-up quiet periods over
  views_.emplace(n, deltas_);
  awaiting_.assign(n, 0);
  g_.set_count_entries(false);  // the views count, deltas included
  g_.reset_counters();
  storm_ok_ = co_await storm();
  end_phase(kStorm);
  co_await hold();
  end_phase(kHold);
  if (g_.opt().toggles > 0) co_await toggles();
  end_phase(kToggles);
  report();
  co_return 0;
}

void Storm::end_phase(Phase p) {
  drops_at_[p] = g_.dropped();
  reasons_at_[p] = g_.drop_reasons();
}

// --- the storm -------------------------------------------------------------------

// Until every login is answered (or its connection dropped) and every client
// holds a complete list; or --timeout; or the server is gone.
asio::awaitable<bool> Storm::storm() {
  phase_ = kStorm;
  const ThreadCpu threads0 = read_thread_cpu(g_.opt().pid);
  m_.storm_start = g_.usage_now();
  first_login_ = m_.storm_start.at;
  send_more_logins();
  auto next_report = first_login_ + 5s;
  bool server_gone = false;
  const bool ok = co_await g_.wait_until(
      [&] {
        if (Clock::now() >= next_report) {
          next_report += 5s;
          log_storm_progress();
        }
        server_gone = !g_.server_alive();
        return server_gone || (logins_done() && all_complete());
      },
      first_login_ + to_duration(g_.opt().timeout), 5ms);
  m_.storm_end = g_.usage_now();
  m_.storm_threads = thread_cpu_since(g_.opt().pid, threads0);
  const bool complete = ok && !server_gone;
  if (complete) note_complete();
  g_.log(std::string(complete      ? "storm over"
                     : server_gone ? "server gone"
                                   : "storm timed out") +
         ": " + std::to_string(answered_) + " logged in, " + std::to_string(g_.dropped()) +
         " dropped");
  co_return complete;
}

// When the last client got its complete list: its count last changed then.
void Storm::note_complete() {
  for (size_t i = 0; i < g_.users().size(); ++i) {
    const User& u = g_.users()[i];
    if (u.me && !u.dropped) all_complete_ = std::max(all_complete_, views_->changed_at(i));
  }
}

// Keeps --inflight logins awaiting their `me`; called again as each `me`
// arrives or a connection awaiting one drops.
void Storm::send_more_logins() {
  if (phase_ != kStorm) return;  // the storm is over (timed out): the hold is idle
  const std::string_view extra = deltas_ ? R"(,"extensions":["who-delta"])" : "";
  while (in_flight_ < g_.opt().inflight && next_login_ < g_.users().size()) {
    const size_t i = next_login_++;
    if (!g_.conn(i).open()) continue;  // dropped while bare
    awaiting_[i] = 1;
    ++in_flight_;
    g_.send_login(i, extra);
  }
}

// Every client logged in and still connected holds a list with every one of
// them (a list may also show users whose `me` has not arrived yet).
bool Storm::all_complete() const {
  const auto& users = g_.users();
  uint32_t target = 0;
  for (const User& u : users) target += u.me && !u.dropped;
  if (target == 0) return false;
  for (size_t i = 0; i < users.size(); ++i) {
    if (users[i].me && !users[i].dropped && views_->entries(i) < target) return false;
  }
  return true;
}

void Storm::log_storm_progress() const {
  const auto& users = g_.users();
  size_t complete = 0, target = 0;
  for (const User& u : users) target += u.me && !u.dropped;
  for (size_t i = 0; i < users.size(); ++i) {
    complete += users[i].me && !users[i].dropped && views_->entries(i) >= target;
  }
  const Traffic& t = traffic_[kStorm];
  g_.log("  " + fixed(seconds(Clock::now() - first_login_), 0) +
         " s: " + std::to_string(g_.logins_sent()) + " logins sent, " + std::to_string(answered_) +
         " logged in, " + std::to_string(complete) + " with all " + std::to_string(target) + ", " +
         std::to_string(g_.dropped()) + " dropped; who lists " +
         fixed((t.full_bytes + t.delta_bytes) / 1e6, 0) + " MB");
}

// --- frames ----------------------------------------------------------------------

void Storm::on_frame(uint32_t i, std::string_view action, std::string_view p,
                     Clock::time_point now) {
  if (action == "me") return on_me(i, p, now);
  const bool full = action == "who";
  if (!full && action != "who-delta") return count_other(action, p.size());
  count_traffic(action, p.size(), now);
  if (!views_) return;
  if (full) {
    views_->on_full(i, p, now);
  } else {
    views_->on_delta(i, p, now);
  }
  if (phase_ == kToggles) watch_.on_list(i, p, now, g_.counters().latency);
}

void Storm::on_me(uint32_t i, std::string_view p, Clock::time_point now) {
  if (awaiting_.size() <= i || !awaiting_[i]) return;  // later `me` frames echo settings
  awaiting_[i] = 0;
  --in_flight_;
  if (phase_ != kStorm) {  // a storm that timed out: not counted in its figures
    ++late_logins_;
    return;
  }
  ++answered_;
  last_me_ = now;
  if (deltas_ && !grants_extension(p, "who-delta")) ++ext_missing_;
  send_more_logins();
}

void Storm::on_drop(uint32_t i) {
  if (awaiting_.size() <= i || !awaiting_[i]) return;
  awaiting_[i] = 0;  // its slot goes to the next login
  --in_flight_;
  send_more_logins();
}

void Storm::count_traffic(std::string_view action, size_t bytes, Clock::time_point now) {
  Traffic& t = traffic_[phase_];
  if (action == "who") {
    ++t.full_frames;
    t.full_bytes += bytes;
  } else {
    ++t.delta_frames;
    t.delta_bytes += bytes;
  }
  last_who_ = now;
  if (phase_ == kStorm || phase_ == kHold) last_room_who_ = now;
  if (phase_ == kHold && now >= quiet_from_) quiet_bytes_ += bytes;
}

// Every join is announced to everyone already there: in a storm of N that
// is N²/2 frames, as many as the deltas' entries.
void Storm::count_other(std::string_view action, size_t bytes) {
  Traffic& t = traffic_[phase_];
  if (action == "presence") {
    ++t.presence_frames;
    t.presence_bytes += bytes;
  } else {
    ++t.other_frames;
  }
}

// --- the hold ----------------------------------------------------------------------

// Nothing sent for --hold s: drops, and who lists still arriving, are the
// server's doing. A storm that timed out with lists incomplete (full lists
// paced by a byte budget) may complete now: still watched, every 50 ms.
asio::awaitable<void> Storm::hold() {
  phase_ = kHold;
  const auto t0 = Clock::now();
  const auto end = t0 + to_duration(g_.opt().hold);
  quiet_from_ = std::max(t0, end - 10s);
  auto next_report = t0 + 10s;
  bool watch_lists = !storm_ok_ && logins_done();
  while (Clock::now() < end && g_.server_alive()) {
    co_await g_.sleep_for(std::min<Clock::duration>(end - Clock::now(), 50ms));
    if (watch_lists && all_complete()) {
      watch_lists = false;
      note_complete();
      g_.log("  hold " + fixed(seconds(Clock::now() - t0), 1) +
             " s: every client holds the complete list");
    }
    if (Clock::now() < next_report) continue;
    next_report += 10s;
    const Traffic& t = traffic_[kHold];
    g_.log("  hold " + fixed(seconds(Clock::now() - t0), 0) +
           " s: " + std::to_string(g_.dropped() - drops_at_[kStorm]) + " dropped, " +
           std::to_string(t.full_frames + t.delta_frames) + " who frames");
  }
  m_.hold_end = g_.usage_now();
  phase_ = kOther;
}

// --- the camera toggles ----------------------------------------------------------

// The first user still logged in.
std::optional<uint32_t> Storm::pick_toggler() const {
  for (size_t i = 0; i < g_.users().size(); ++i) {
    if (g_.users()[i].me && !g_.users()[i].dropped) return static_cast<uint32_t>(i);
  }
  return std::nullopt;
}

// Until no who frame arrived for `quiet`, at most --timeout.
asio::awaitable<void> Storm::wait_quiet(Clock::duration quiet) {
  const auto t0 = Clock::now();
  co_await g_.wait_until([&] { return Clock::now() - std::max(last_who_, t0) > quiet; },
                         t0 + to_duration(g_.opt().timeout), 10ms);
}

// One user switches its camera on, off, on, ... every --toggle-interval-ms;
// every client's frames are searched for its entry (ToggleWatch, no tags:
// toggle k shows video 1 when k is even, 0 when odd; nobody had a camera
// before). Then waits until all saw the last toggle, 3 s without a who
// frame, or --timeout.
asio::awaitable<void> Storm::toggles() {
  toggler_ = pick_toggler();
  if (!toggler_) {
    g_.log("nobody logged in: no toggles");
    co_return;
  }
  co_await wait_quiet(1s);
  const auto& users = g_.users();
  watch_.reset(users.size(), g_.username(*toggler_));
  for (const User& u : users) toggle_clients_ += u.me && !u.dropped;
  g_.counters().latency = LatencyHistogram{};
  watch_.measuring = true;
  phase_ = kToggles;
  const ThreadCpu threads0 = read_thread_cpu(g_.opt().pid);
  m_.toggles_start = g_.usage_now();
  const auto interval = to_duration(g_.opt().toggle_interval_ms / 1e3);
  for (int64_t k = 0; k < g_.opt().toggles; ++k) {
    co_await g_.sleep_for(m_.toggles_start.at + k * interval - Clock::now());
    if (!g_.conn(*toggler_).open() || !g_.server_alive()) break;
    watch_.sent(Clock::now());
    std::string text = R"({"action":"me","video":)";
    append_number(text, static_cast<uint64_t>(watch_.video_of(k)));
    text += R"(,"status":"online"})";
    g_.conn(*toggler_).send_text(text);
  }
  const auto t_sent = Clock::now();
  auto all_saw = [&] {
    for (size_t i = 0; i < users.size(); ++i) {
      if (users[i].me && !users[i].dropped && watch_[i].seen < watch_.last()) return false;
    }
    return true;
  };
  co_await g_.wait_until(
      [&] { return all_saw() || Clock::now() - std::max(last_who_, t_sent) > 3s; },
      t_sent + to_duration(g_.opt().timeout), 5ms);
  watch_.measuring = false;
  m_.toggles_end = g_.usage_now();
  m_.toggle_threads = thread_cpu_since(g_.opt().pid, threads0);
  phase_ = kOther;
}

asio::awaitable<int> storm(Loadgen& g) {
  Storm scenario(g);
  TapScope tap(g, scenario);
  co_return co_await scenario.run();
}

}  // namespace bench
