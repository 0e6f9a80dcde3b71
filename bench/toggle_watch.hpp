// who-toggle's bookkeeping: which of one user's camera toggles each client's
// who lists show, and when each client first saw each toggle.
//
// Toggle k (k >= 1 measured; 0 is the set-up `me` that turns the camera on)
// sends video 1 when k is even and 0 when odd. With tags on it also sets the
// client-side bits 4, 8 and 256 from bits 1..3 of k, which the server relays
// as they are (protocol.md §6): a list then tells which of 16 consecutive
// toggles it shows, so a list that arrives two toggles late is not mistaken
// for the newest one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clock.hpp"
#include "stats.hpp"

namespace bench {

class ToggleWatch {
 public:
  // What the toggler's relations hide from a client.
  enum Mask : uint8_t { kVisible = 0, kBootedByToggler = 1, kBlockRelation = 2 };
  struct Watch {
    int64_t seen = -1;         // the newest toggle this client has seen
    uint32_t hint = 0;         // where the toggler's entry was in its last list
    uint8_t mask = kVisible;   // what the toggler's relations hide from this client
    uint64_t fingerprint = 0;  // hash of its last list (set-up only)
  };
  struct Counts {
    uint64_t samples = 0;          // (client, toggle) pairs seen: latency samples
    uint64_t merged = 0;           // superseded before the client saw them
    uint64_t missing = 0;          // lists without the toggler's entry (it should be there)
    uint64_t mask_violations = 0;  // masked clients shown the toggler's real camera
    uint64_t masked_lists = 0;     // lists received by masked clients
    uint64_t stale = 0;            // lists showing an older toggle than one already seen
    uint64_t ambiguous = 0;        // over a period of toggles since the last change seen
    uint64_t odd_values = 0;       // a video value no toggle sends
  };

  explicit ToggleWatch(bool tag) : tag_(tag) {}

  // `clients` clients, all visible, watching `toggler`; no toggle sent yet.
  void reset(size_t clients, const std::string& toggler);

  // The `video` value toggle k sends.
  int64_t video_of(int64_t k) const;
  // Toggle k = toggles_sent() is being sent now.
  void sent(Clock::time_point at) { toggle_at_.push_back(at); }
  // The index of the newest toggle sent (-1: none).
  int64_t last() const { return static_cast<int64_t>(toggle_at_.size()) - 1; }

  // A who list client i received at `now`. While measuring, counts anomalies
  // and adds one latency sample per toggle the list shows first.
  void on_list(uint32_t i, std::string_view p, Clock::time_point now, LatencyHistogram& latency);

  Watch& operator[](size_t i) { return watch_[i]; }
  const Watch& operator[](size_t i) const { return watch_[i]; }
  const Counts& counts() const { return counts_; }

  bool measuring = false;     // count samples and anomalies
  bool fingerprints = false;  // hash every list (set-up: distinct lists)

 private:
  int64_t period() const { return tag_ ? 16 : 2; }
  // The toggle index modulo the period that a `video` value shows.
  int64_t phase_of(int64_t video) const;
  void check_masked(const Watch& w, bool has_entry, int64_t video);
  void sample(Watch& w, int64_t video, Clock::time_point now, LatencyHistogram& latency);

  const bool tag_;
  std::vector<Watch> watch_;
  std::vector<Clock::time_point> toggle_at_;  // when toggle k was sent
  std::string needle_;                        // "username":"uNNNN"
  Counts counts_;
};

}  // namespace bench
