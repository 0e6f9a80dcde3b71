#include "who_view.hpp"

#include <algorithm>
#include <charconv>

#include "frames.hpp"

namespace bench {

WhoViews::WhoViews(size_t clients, bool deltas)
    : clients_(clients),
      deltas_(deltas),
      words_((clients + 63) / 64),
      bits_(deltas ? clients * words_ : 0, 0),
      entries_(clients, 0),
      changed_at_(clients) {}

void WhoViews::on_full(uint32_t i, std::string_view p, Clock::time_point now) {
  if (!deltas_) return set_count(i, count_who_entries(p), now);
  std::fill_n(bits_.begin() + static_cast<ptrdiff_t>(i * words_), words_, 0);
  uint32_t n = 0;
  for_each_entry_name(p, [&](std::string_view name) {
    const int64_t user = index_of(name);
    if (user < 0) return;
    n += assign(i, static_cast<uint32_t>(user), true);
  });
  set_count(i, n, now);
}

void WhoViews::on_delta(uint32_t i, std::string_view p, Clock::time_point now) {
  if (!deltas_) {
    ++legacy_deltas;
    return;
  }
  int64_t n = entries_[i];
  for_each_removed_name(p, [&](std::string_view name) {
    const int64_t user = index_of(name);
    if (user < 0) return;
    const bool held = assign(i, static_cast<uint32_t>(user), false);
    held ? ++removed : ++remove_unknown;
    n -= held;
  });
  for_each_entry_name(p, [&](std::string_view name) {
    const int64_t user = index_of(name);
    if (user < 0) return;
    const bool added = assign(i, static_cast<uint32_t>(user), true);
    added ? ++set_new : ++set_replaced;
    n += added;
  });
  set_count(i, static_cast<uint32_t>(n), now);
}

int64_t WhoViews::index_of(std::string_view name) {
  uint64_t user = 0;
  const char* end = name.data() + name.size();
  if (name.size() > 1 && name[0] == 'u') {
    const auto r = std::from_chars(name.data() + 1, end, user);
    if (r.ptr == end && r.ec == std::errc() && user < clients_) return static_cast<int64_t>(user);
  }
  ++foreign_names;  // nobody else logs in: the server made it up, or we misread
  return -1;
}

bool WhoViews::test(uint32_t i, uint32_t user) const {
  return (bits_[i * words_ + user / 64] >> (user % 64)) & 1;
}

bool WhoViews::assign(uint32_t i, uint32_t user, bool on) {
  if (test(i, user) == on) return false;
  bits_[i * words_ + user / 64] ^= uint64_t{1} << (user % 64);
  return true;
}

void WhoViews::set_count(uint32_t i, uint32_t n, Clock::time_point now) {
  if (entries_[i] == n) return;
  entries_[i] = n;
  changed_at_[i] = now;
}

}  // namespace bench
