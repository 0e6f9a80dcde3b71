// Paces full who lists to the viewers that get them (clients of the original
// protocol) within a byte budget, so that a big room's O(N²) lists never
// flood the machine.
//
// A viewer is stale once the room changed after its last list. Viewers that
// have never had a list are served first (in the order they came), then
// stale viewers, oldest-served first; a viewer whose list is current gets nothing, so once
// the room is quiet nothing more is sent. The budget is a token bucket
// holding at most one second's worth of bytes; a list may overdraw it, and
// the next one waits until it has refilled.
#pragma once

#include <cstdint>
#include <list>
#include <optional>
#include <unordered_map>

#include "chat/event.hpp"
#include "chat/token_bucket.hpp"

namespace chat {

class WhoPacer {
 public:
  // Bytes per second; 0 or less: no limit.
  void set_rate(int64_t bytes_per_second);

  void add(ConnId viewer);  // a new viewer, served first
  void remove(ConnId viewer);
  void all_stale();  // the room changed: everybody needs a new list

  // The next viewer to serve at `now_ms`, if one is stale and the budget
  // allows; it counts as served from then on.
  std::optional<ConnId> next(int64_t now_ms);
  // What the list just handed to that viewer cost.
  void spend(size_t bytes);

  bool waiting() const { return !new_.empty() || served_.begin() != first_fresh_; }
  // When next() may serve again (Unix ms); only meaningful while waiting().
  int64_t due_ms(int64_t now_ms) const;

  // Room snapshots (snapshot_codec.hpp) copy the state exactly.
  friend struct SnapshotCodec;

 private:
  bool limited_ = false;
  double bytes_per_ms_ = 0;
  TokenBucket bytes_;  // a second's worth at most
  using List = std::list<ConnId>;
  List new_;  // never served, in the order they came
  // Served at least once, oldest-served first: stale ones, then fresh ones
  // from first_fresh_.
  List served_;
  List::iterator first_fresh_ = served_.end();
  struct Position {
    List::iterator it;
    bool is_new;
  };
  std::unordered_map<ConnId, Position> position_;
};

}  // namespace chat
