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

// The names of a who-delta's `remove` array: quoted strings (usernames cannot
// hold a quote) up to its `]`; empty when there is none. The array is found
// without scanning the frame: it is the first or the last array of the
// delta, as entries hold no `[` (no value does for the generator's users).
std::string_view removed_names(std::string_view p);
// Calls f(name) for every name of `removed_names(p)`.
template <class F>
void for_each_removed_name(std::string_view p, F f);

// Where `needle` starts in p at or after `from` (memmem), npos if nowhere.
size_t find_text(std::string_view p, std::string_view needle, size_t from = 0);

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
  // Entries are flat: every `{` after the outer one opens an entry (memchr is
  // much cheaper than a substring search per entry).
  constexpr std::string_view kEntry = R"({"username":")";
  for (size_t at = p.find('{', 1); at != std::string_view::npos; at = p.find('{', at + 1)) {
    if (p.compare(at, kEntry.size(), kEntry) != 0) continue;
    const size_t start = at + kEntry.size();
    const size_t end = p.find('"', start);
    if (end == std::string_view::npos) return;
    f(p.substr(start, end - start));
    at = end;
  }
}

template <class F>
void for_each_removed_name(std::string_view p, F f) {
  const std::string_view list = removed_names(p);
  for (size_t q = list.find('"'); q != std::string_view::npos; q = list.find('"', q + 1)) {
    const size_t end = list.find('"', q + 1);
    if (end == std::string_view::npos) return;
    f(list.substr(q + 1, end - q - 1));
    q = end;
  }
}

}  // namespace bench
