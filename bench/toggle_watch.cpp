#include "toggle_watch.hpp"

#include <chrono>
#include <functional>

#include "frames.hpp"

namespace bench {

void ToggleWatch::reset(size_t clients, const std::string& toggler) {
  watch_.assign(clients, Watch{});
  toggle_at_.clear();
  needle_ = R"("username":")" + toggler + "\"";
  counts_ = Counts{};
}

int64_t ToggleWatch::video_of(int64_t k) const {
  int64_t v = (k & 1) ? 0 : 1;
  if (tag_) v |= ((k & 2) ? 4 : 0) | ((k & 4) ? 8 : 0) | ((k & 8) ? 256 : 0);
  return v;
}

int64_t ToggleWatch::phase_of(int64_t video) const {
  int64_t k = (video & 1) ? 0 : 1;
  if (tag_) k |= ((video & 4) ? 2 : 0) | ((video & 8) ? 4 : 0) | ((video & 256) ? 8 : 0);
  return k;
}

void ToggleWatch::on_list(uint32_t i, std::string_view p, Clock::time_point now,
                          LatencyHistogram& latency) {
  Watch& w = watch_[i];
  if (fingerprints) w.fingerprint = std::hash<std::string_view>{}(p);
  const auto video = entry_video(p, needle_, w.hint);
  if (w.mask != kVisible) {
    if (measuring) check_masked(w, video.has_value(), video.value_or(0));
    return;
  }
  if (!video) {
    if (measuring) ++counts_.missing;
    return;
  }
  if (*video < 0 || video_of(phase_of(*video)) != *video) {
    if (measuring) ++counts_.odd_values;
    return;
  }
  sample(w, *video, now, latency);
}

// Booted by the toggler: it must always see 0. Block relation: no entry.
void ToggleWatch::check_masked(const Watch& w, bool has_entry, int64_t video) {
  ++counts_.masked_lists;
  if (w.mask == kBlockRelation ? has_entry : video != 0) ++counts_.mask_violations;
}

void ToggleWatch::sample(Watch& w, int64_t video, Clock::time_point now,
                         LatencyHistogram& latency) {
  const int64_t newest = last();
  if (newest < 0) return;
  const int64_t phase = phase_of(video);
  // The newest toggle sent so far that shows this value.
  const int64_t j = newest - (((newest - phase) % period()) + period()) % period();
  if (j == w.seen) return;  // no change for this client
  if (j < w.seen) {         // an older state again
    if (measuring) ++counts_.stale;
    return;
  }
  if (measuring) {
    if (j - period() > w.seen) ++counts_.ambiguous;  // an older toggle shows the same value
    counts_.merged += static_cast<uint64_t>(j - w.seen - 1);
    ++counts_.samples;
    latency.add(static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(now - toggle_at_[j]).count()));
  }
  w.seen = j;
}

}  // namespace bench
