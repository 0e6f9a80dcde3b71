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

}  // namespace bench
