// storm's results: RESULT keys grouped by phase (storm, hold, toggles), and
// the drops of each phase with their reasons.
#include <algorithm>

#include "storm.hpp"

namespace bench {

namespace {

double mib(long kib) {
  return kib / 1024.0;
}

// Seconds from `from` to `to`, -1 when `to` never happened.
double since(Clock::time_point from, Clock::time_point to) {
  return to == Clock::time_point{} ? -1 : seconds(to - from);
}

}  // namespace

void Storm::report() const {
  Result r;
  add_storm(r);
  add_traffic(r);
  add_memory(r);
  add_toggles(r);
  g_.print(r);
  log_drops();
}

void Storm::add_storm(Result& r) const {
  const Options& opt = g_.opt();
  const double login_s = since(first_login_, last_me_);
  const bool all_answered = answered_ > 0 && answered_ == g_.logins_sent();
  size_t complete = 0, target = 0;
  for (const User& u : g_.users()) target += u.me && !u.dropped;
  for (size_t i = 0; i < g_.users().size(); ++i) {
    complete += g_.users()[i].me && !g_.users()[i].dropped && views_->entries(i) >= target;
  }
  r.add("users", opt.users);
  r.add("deltas", deltas_ ? 1 : 0);
  r.add("inflight", opt.inflight);
  r.add("connect_s", m_.connect_s, 2);
  r.add("bare_open", m_.bare_open);
  r.add("logins_sent", g_.logins_sent());
  r.add("logged_in", answered_);
  r.add("all_logged_in_s", all_answered ? login_s : -1.0, 2);
  r.add("last_me_s", login_s, 2);
  r.add("logins_per_s", login_s > 0 ? answered_ / login_s : 0.0, 0);
  r.add("late_logins", late_logins_);
  r.add("ext_missing", ext_missing_);
  r.add("storm_complete", storm_ok_ ? 1 : 0);
  // Possibly during the hold, after a storm that timed out. Not when clients
  // were dropped: the survivors' lists are complete, the room is not.
  r.add("all_complete_s", drops_at_[kStorm] ? -1.0 : since(first_login_, all_complete_), 2);
  r.add("clients_complete", complete);
  r.add("storm_s", seconds(m_.storm_end.at - m_.storm_start.at), 2);
  r.add("storm_dropped", drops_at_[kStorm]);
  r.add("hold_dropped", drops_at_[kHold] - drops_at_[kStorm]);
  r.add("toggle_dropped", drops_at_[kToggles] - drops_at_[kHold]);
}

void Storm::add_traffic(Result& r) const {
  const Traffic& s = traffic_[kStorm];
  const Traffic& h = traffic_[kHold];
  const size_t n = std::max<size_t>(1, answered_);
  r.add("storm_who_frames", s.full_frames);
  r.add("storm_who_mbytes", s.full_bytes / 1e6, 1);
  r.add("storm_delta_frames", s.delta_frames);
  r.add("storm_delta_mbytes", s.delta_bytes / 1e6, 1);
  r.add("who_frames_per_user", static_cast<double>(s.full_frames + s.delta_frames) / n, 1);
  r.add("storm_presence_frames", s.presence_frames);
  r.add("storm_presence_mbytes", s.presence_bytes / 1e6, 1);
  r.add("storm_other_frames", s.other_frames);
  r.add("hold_s", seconds(m_.hold_end.at - m_.storm_end.at), 1);
  r.add("hold_who_frames", h.full_frames);
  r.add("hold_who_mbytes", h.full_bytes / 1e6, 1);
  r.add("hold_delta_frames", h.delta_frames);
  r.add("hold_delta_mbytes", h.delta_bytes / 1e6, 3);
  r.add("hold_other_frames", h.presence_frames + h.other_frames);
  r.add("quiet_who_bytes", quiet_bytes_);
  r.add("last_who_s", since(first_login_, last_room_who_), 2);
  r.add("delta_set_new", views_->set_new);
  r.add("delta_set_replaced", views_->set_replaced);
  r.add("delta_removed", views_->removed);
  r.add("delta_remove_unknown", views_->remove_unknown);
  r.add("foreign_names", views_->foreign_names);
  r.add("legacy_deltas", views_->legacy_deltas);
}

// Memory after the hold: per logged-in user above the bare connections, and
// in total (the budget is for everything a user costs).
void Storm::add_memory(Result& r) const {
  size_t logged = 0;
  for (const User& u : g_.users()) logged += u.me && !u.dropped;
  const double per = logged ? 1024.0 / logged : 0;
  const Usage& s = m_.storm_start;
  const Usage& e = m_.storm_end;
  const Usage& h = m_.hold_end;
  r.add("rss_start_mib", mib(m_.start.server_rss_kib), 1);
  r.add("rss_bare_mib", mib(m_.bare.server_rss_kib), 1);
  r.add("bare_bytes_per_conn",
        m_.bare_open ? (m_.bare.server_rss_kib - m_.start.server_rss_kib) * 1024.0 / m_.bare_open
                     : 0.0,
        0);
  r.add("rss_storm_end_mib", mib(e.server_rss_kib), 1);
  r.add("rss_after_hold_mib", mib(h.server_rss_kib), 1);
  // Not after drops: the memory of the room's history divided by its
  // survivors says nothing about a user's cost.
  if (logged && drops_at_[kHold] == 0) {
    r.add("rss_per_user_bytes", (h.server_rss_kib - m_.bare.server_rss_kib) * per, 0);
    r.add("rss_total_per_user_bytes", h.server_rss_kib * per, 0);
  }
  r.add("rss_peak_mib", mib(h.server_hwm_kib), 1);
  r.add("storm_server_cpu_s", e.server_cpu - s.server_cpu, 2);
  r.kv.emplace_back("storm_server_threads_cpu_s",
                    m_.storm_threads.empty() ? "-" : m_.storm_threads);
  r.add("storm_gen_cpu_s", e.self_cpu - s.self_cpu, 2);
  r.add("storm_other_cpu_s", other_cpu_seconds(s, e), 2);
  r.add("hold_server_cpu_s", h.server_cpu - e.server_cpu, 2);
  r.add("hold_gen_cpu_s", h.self_cpu - e.self_cpu, 2);
  r.add("hold_other_cpu_s", other_cpu_seconds(e, h), 2);
}

void Storm::add_toggles(Result& r) const {
  const auto& c = watch_.counts();
  const int64_t last = watch_.last();
  r.add("toggles", static_cast<uint64_t>(last + 1));
  if (!toggler_ || last < 0) return;  // no toggle keys at all: tables show "—", not zeros
  // Toggles after the newest one each client saw (those before, skipped, are
  // `merged`).
  uint64_t unseen = 0;
  const auto& users = g_.users();
  for (size_t i = 0; i < users.size(); ++i) {
    if (users[i].me && !users[i].dropped) unseen += last - std::min(watch_[i].seen, last);
  }
  const Traffic& t = traffic_[kToggles];
  const Usage& a = m_.toggles_start;
  const Usage& b = m_.toggles_end;
  r.kv.emplace_back("toggler", g_.username(*toggler_));
  r.add("toggle_clients", toggle_clients_);
  r.add("toggle_expected", static_cast<uint64_t>(last + 1) * toggle_clients_);
  r.add("toggle_seen", c.samples);
  r.add("toggle_merged", c.merged);
  r.add("toggle_unseen", unseen);
  add_latency(r, g_.counters().latency);
  r.add("toggle_server_cpu_s", b.server_cpu - a.server_cpu, 2);
  r.kv.emplace_back("toggle_server_threads_cpu_s",
                    m_.toggle_threads.empty() ? "-" : m_.toggle_threads);
  r.add("toggle_gen_cpu_s", b.self_cpu - a.self_cpu, 2);
  r.add("toggle_other_cpu_s", other_cpu_seconds(a, b), 2);
  r.add("toggle_who_frames", t.full_frames + t.delta_frames);
  r.add("toggle_who_kbytes", (t.full_bytes + t.delta_bytes) / 1e3, 1);
  r.add("toggle_missing_entry", c.missing);
  r.add("toggle_stale", c.stale);
  r.add("toggle_odd_values", c.odd_values);
}

// The reasons of each phase's drops (the core logs them all at the end too).
void Storm::log_drops() const {
  static const char* const kNames[kPhases] = {"", "storm", "hold", "toggles"};
  const std::map<std::string, size_t> none;
  for (int p = kStorm; p < kPhases; ++p) {
    const auto& before = p == kStorm ? none : reasons_at_[p - 1];
    for (const auto& [why, count] : reasons_at_[p]) {
      const auto b = before.find(why);
      const size_t n = count - (b == before.end() ? 0 : b->second);
      if (n) g_.log(std::string("  ") + kNames[p] + ": dropped x" + std::to_string(n) + ": " + why);
    }
  }
}

}  // namespace bench
