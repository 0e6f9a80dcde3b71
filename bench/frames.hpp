// Reading the server's frames without a JSON parser. The generator receives
// millions of frames and 100-KB who lists many times a second; it only needs
// a few fields, found by searching, so that its own CPU stays small next to
// the server's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bench {

// The action of a server frame: servers put it first, but search if not.
std::string_view action_of(std::string_view p);

// Entries of a who list, counted without parsing: each one starts with
// `{"username":` and usernames here never contain that.
uint32_t count_who_entries(std::string_view p);

// Calls f(name) for the username of every entry of a who list or of a
// who-delta's `set` (entries start with `{"username":"`, as counted above).
template <class F>
void for_each_entry_name(std::string_view p, F f);

// Calls f(name) for every name of a who-delta's `remove` array. Usernames
// cannot hold a quote, so the array is read as quoted strings up to `]`.
template <class F>
void for_each_removed_name(std::string_view p, F f);

// Whether a `me` frame grants `extension` (its `extensions` array names it).
bool grants_extension(std::string_view me, std::string_view extension);

// Message text: Zq<send ns>x<sender index>x<sequence>Zq — letters and digits
// only, so Markdown leaves it alone.
struct Marker {
  uint64_t ns = 0;
  uint32_t sender = 0;
  uint64_t seq = 0;
};
std::optional<Marker> find_marker(std::string_view p);

// Appends the decimal digits of `v` (no allocation, unlike std::to_string).
void append_number(std::string& out, uint64_t v);

// The `video` value of one user's entry in a who list or delta, found by
// `needle` (`"username":"<name>"`). nullopt when the frame has no entry for
// that user, -1 when the entry has no readable value. `hint` is where the
// entry was in this client's previous frame (lists change little from round
// to round): searched there first, then nearby, then everywhere; updated.
std::optional<int64_t> entry_video(std::string_view p, std::string_view needle, uint32_t& hint);

// --- templates ---

template <class F>
void for_each_entry_name(std::string_view p, F f) {
  constexpr std::string_view kEntry = R"({"username":")";
  for (size_t at = p.find(kEntry, 1); at != std::string_view::npos; at = p.find(kEntry, at + 1)) {
    const size_t start = at + kEntry.size();
    const size_t end = p.find('"', start);
    if (end == std::string_view::npos) return;
    f(p.substr(start, end - start));
  }
}

template <class F>
void for_each_removed_name(std::string_view p, F f) {
  constexpr std::string_view kRemove = R"("remove":[)";
  // `remove` comes after `set`; its entries' values cannot hold this text.
  const size_t at = p.rfind(kRemove);
  if (at == std::string_view::npos) return;
  const size_t close = p.find(']', at);
  if (close == std::string_view::npos) return;
  std::string_view list = p.substr(at + kRemove.size(), close - at - kRemove.size());
  for (size_t q = list.find('"'); q != std::string_view::npos; q = list.find('"', q + 1)) {
    const size_t end = list.find('"', q + 1);
    if (end == std::string_view::npos) return;
    f(list.substr(q + 1, end - q - 1));
    q = end;
  }
}

}  // namespace bench
