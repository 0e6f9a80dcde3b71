// A connection's queue of outgoing frames, shared between the room's
// dispatcher (which pushes) and the connection's I/O thread (which writes).
//
// - Bounded: past `byte_cap` queued bytes the push fails and the caller drops
//   the connection, so a client that stops reading cannot grow memory
//   without bound. A single frame larger than the cap is still accepted when
//   the queue is empty.
// - A snapshot (a who list) replaces the previous unsent snapshot in place, so
//   a slow reader gets the latest list instead of every list. Snapshots do
//   not count against the cap (at most one is unsent and one in flight): a
//   who list is never the reason a client is dropped.
// - Empty, it allocates nothing: idle connections stay small.
#pragma once

#include <cstddef>
#include <mutex>
#include <vector>

#include "protocol/frame.hpp"

namespace net {

class Outbox {
 public:
  explicit Outbox(size_t byte_cap) : byte_cap_(byte_cap) {}

  enum class Push {
    kQueued,      // a flush is already scheduled or under way
    kNeedsFlush,  // the caller must schedule a flush
    kOverflow,    // over the byte cap: the frame was not queued
  };
  Push push(protocol::Frame frame, bool snapshot);

  // The in-flight batch (if any) is written: lets it go, then moves up to
  // `max` queued frames into a new in-flight batch and returns it; the batch
  // stays alive until the next `take`. Empty when nothing is queued, in which
  // case the flush is over. (One call for both: each lock of the mutex, which
  // the room's thread has just used, costs a cache miss.)
  const std::vector<protocol::Frame>& take(size_t max);

  size_t queued_bytes() const;
  // Whether frame `i` of the in-flight batch is a snapshot.
  bool in_flight_snapshot(size_t i) const;

 private:
  void release_in_flight();

  struct Entry {
    protocol::Frame frame;
    bool snapshot;
  };

  mutable std::mutex mutex_;
  const size_t byte_cap_;
  size_t bytes_ = 0;          // queued and in flight
  size_t capped_bytes_ = 0;   // the part of it that counts against the cap
  std::vector<Entry> queue_;  // pending, oldest first, from `head_`
  size_t head_ = 0;
  size_t snapshot_at_ = SIZE_MAX;  // index in queue_ of the unsent snapshot
  bool flushing_ = false;          // a flush is scheduled or under way
  std::vector<protocol::Frame> in_flight_;
  size_t in_flight_snapshot_ = SIZE_MAX;  // index in in_flight_
};

}  // namespace net
