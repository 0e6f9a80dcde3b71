// storm: a big room filled by a login storm, then left idle, then (with
// who-list deltas) one camera toggle after another. The state the scenario
// keeps, shared by storm.cpp (the run) and storm_report.cpp (the results).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loadgen.hpp"
#include "toggle_watch.hpp"
#include "who_view.hpp"

namespace bench {

class Storm final : public Tap {
 public:
  explicit Storm(Loadgen& g);

  asio::awaitable<int> run();

  void on_frame(uint32_t i, std::string_view action, std::string_view p,
                Clock::time_point now) override;
  void on_drop(uint32_t i) override;

 private:
  // Who-list traffic is counted per phase: "once the room is quiet, nothing
  // more is sent" must show in the hold's figures.
  // kOther: before the logins, and the wait for quiet before the toggles.
  enum Phase { kOther, kStorm, kHold, kToggles, kPhases };
  struct Traffic {
    uint64_t full_frames = 0, full_bytes = 0;          // `who`
    uint64_t delta_frames = 0, delta_bytes = 0;        // `who-delta`
    uint64_t presence_frames = 0, presence_bytes = 0;  // "has joined the room" notices
    uint64_t other_frames = 0;                         // anything else but `me`
  };
  // Readings at the phase boundaries.
  struct Readings {
    Usage start, bare, storm_start, storm_end, hold_end, toggles_start, toggles_end;
    double connect_s = 0;
    size_t bare_open = 0;
    // The server's CPU per thread (main/bans/room/I-O for ours), "a/b/c/d".
    std::string storm_threads, toggle_threads;
  };

  // storm.cpp: the run
  void send_more_logins();
  bool logins_done() const { return next_login_ >= g_.users().size() && in_flight_ == 0; }
  bool all_complete() const;
  void note_complete();
  asio::awaitable<bool> storm();
  asio::awaitable<void> hold();
  asio::awaitable<void> toggles();
  asio::awaitable<void> wait_quiet(Clock::duration quiet);
  void count_traffic(std::string_view action, size_t bytes, Clock::time_point now);
  void count_other(std::string_view action, size_t bytes);
  void on_me(uint32_t i, std::string_view p, Clock::time_point now);
  void log_storm_progress() const;
  std::optional<uint32_t> pick_toggler() const;

  // storm_report.cpp: the results
  void report() const;
  void add_storm(Result& r) const;
  void add_traffic(Result& r) const;
  void add_memory(Result& r) const;
  void add_toggles(Result& r) const;
  void log_drops() const;
  void end_phase(Phase p);

  Loadgen& g_;
  const bool deltas_;
  Phase phase_ = kOther;
  Readings m_;
  std::optional<WhoViews> views_;
  Traffic traffic_[kPhases];
  uint64_t quiet_bytes_ = 0;           // who-list bytes in the last 10 s of the hold
  Clock::time_point quiet_from_{};     // the start of those 10 s
  Clock::time_point last_who_{};       // the last `who` or `who-delta`, any client
  Clock::time_point last_room_who_{};  // the same, before the toggles
  Clock::time_point first_login_{};    // the storm's clock starts here
  Clock::time_point last_me_{};        // the last login answered
  Clock::time_point all_complete_{};   // every client held a complete list
  bool storm_ok_ = false;

  // The logins: at most --inflight awaiting their `me`.
  std::vector<char> awaiting_;
  size_t next_login_ = 0;
  size_t in_flight_ = 0;
  size_t answered_ = 0;     // logins whose `me` arrived during the storm
  size_t late_logins_ = 0;  // ... and after it timed out
  size_t ext_missing_ = 0;  // --deltas 1: a `me` that did not grant who-delta
  // Drops and their reasons (close code and text) at the end of each phase.
  size_t drops_at_[kPhases] = {};
  std::map<std::string, size_t> reasons_at_[kPhases];

  // The camera toggles (--deltas 1, or --toggles T).
  ToggleWatch watch_{false};
  std::optional<uint32_t> toggler_;
  size_t toggle_clients_ = 0;
};

}  // namespace bench
