// What every client holds of the who list, kept up to date as frames arrive,
// to tell when all of them hold a complete list.
//
// Legacy clients get full lists only: the count of a client's last list is
// its view (entries counted with memchr, not parsed). Clients with the
// who-delta extension hold a set of names: a full `who` replaces it, a
// `who-delta` removes then upserts. The set is a bitset indexed by user
// number (users are u0000, u0001, ...): 10,000 clients × 10,000 users is
// 12.5 MB, cheap, and exact where counting `set` entries as new names would
// not be (a `set` entry may replace one the client holds).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "clock.hpp"

namespace bench {

class WhoViews {
 public:
  WhoViews(size_t clients, bool deltas);

  // A full `who` list: replaces what client i held.
  void on_full(uint32_t i, std::string_view p, Clock::time_point now);
  // A `who-delta`: delete the names of `remove`, then upsert those of `set`.
  void on_delta(uint32_t i, std::string_view p, Clock::time_point now);

  uint32_t entries(uint32_t i) const { return entries_[i]; }
  // When client i's entry count last changed.
  Clock::time_point changed_at(uint32_t i) const { return changed_at_[i]; }

  // Delta bookkeeping, for the report.
  uint64_t set_new = 0;         // `set` entries for names the client did not hold
  uint64_t set_replaced = 0;    // `set` entries for names it held
  uint64_t removed = 0;         // `remove` names it held
  uint64_t remove_unknown = 0;  // `remove` names it did not hold (ignored)
  uint64_t foreign_names = 0;   // names not of the form u<index below clients>
  uint64_t legacy_deltas = 0;   // deltas received without asking for them

 private:
  // The user index of a name `u0123`, or -1.
  int64_t index_of(std::string_view name);
  bool test(uint32_t i, uint32_t user) const;
  // Sets or clears one bit; returns whether it changed.
  bool assign(uint32_t i, uint32_t user, bool on);
  void set_count(uint32_t i, uint32_t n, Clock::time_point now);

  const size_t clients_;
  const bool deltas_;
  const size_t words_;          // bitset words per client
  std::vector<uint64_t> bits_;  // deltas only: clients_ × words_
  std::vector<uint32_t> entries_;
  std::vector<Clock::time_point> changed_at_;
};

}  // namespace bench
