#include "frames.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace bench {

std::string_view action_of(std::string_view p) {
  constexpr std::string_view kFirst = R"({"action":")";
  size_t start = 0;
  if (p.starts_with(kFirst)) {
    start = kFirst.size();
  } else {
    const size_t k = p.find(R"("action":")");
    if (k == std::string_view::npos) return {};
    start = k + 10;
  }
  const size_t end = p.find('"', start);
  if (end == std::string_view::npos) return {};
  return p.substr(start, end - start);
}

uint32_t count_who_entries(std::string_view p) {
  constexpr std::string_view kEntry = R"({"username":)";
  uint32_t n = 0;
  const char* s = p.data() + 1;  // skip the outer object
  const char* end = p.data() + p.size();
  while (s < end) {
    const auto* brace = static_cast<const char*>(std::memchr(s, '{', end - s));
    if (!brace) break;
    if (static_cast<size_t>(end - brace) >= kEntry.size() &&
        std::memcmp(brace, kEntry.data(), kEntry.size()) == 0) {
      ++n;
    }
    s = brace + 1;
  }
  return n;
}

size_t find_text(std::string_view p, std::string_view needle, size_t from) {
  if (from >= p.size()) return std::string_view::npos;
  const void* f = memmem(p.data() + from, p.size() - from, needle.data(), needle.size());
  return f ? static_cast<size_t>(static_cast<const char*>(f) - p.data()) : std::string_view::npos;
}

std::string_view removed_names(std::string_view p) {
  constexpr std::string_view kRemove = R"("remove":[)";
  const size_t first = p.find('[');
  if (first == std::string_view::npos) return {};
  size_t open = first;  // `remove` first, or else last
  if (first + 1 < kRemove.size() ||
      p.substr(first + 1 - kRemove.size(), kRemove.size()) != kRemove) {
    const auto* last = static_cast<const char*>(memrchr(p.data(), '[', p.size()));
    open = static_cast<size_t>(last - p.data());
    if (open == first || open + 1 < kRemove.size() ||
        p.substr(open + 1 - kRemove.size(), kRemove.size()) != kRemove) {
      return {};
    }
  }
  const size_t close = p.find(']', open);
  if (close == std::string_view::npos) return {};
  return p.substr(open + 1, close - open - 1);
}

bool grants_extension(std::string_view me, std::string_view extension) {
  constexpr std::string_view kList = R"("extensions":[)";
  const size_t at = me.find(kList);
  if (at == std::string_view::npos) return false;
  const size_t close = me.find(']', at);
  const std::string_view list = me.substr(at + kList.size(), close - at - kList.size());
  const std::string quoted = '"' + std::string(extension) + '"';
  return list.find(quoted) != std::string_view::npos;
}

std::optional<Marker> find_marker(std::string_view p) {
  const auto* z = static_cast<const char*>(memmem(p.data(), p.size(), "Zq", 2));
  if (!z) return std::nullopt;
  const char* end = p.data() + p.size();
  Marker m;
  auto r = std::from_chars(z + 2, end, m.ns);
  if (r.ec != std::errc() || r.ptr == end || *r.ptr != 'x') return std::nullopt;
  r = std::from_chars(r.ptr + 1, end, m.sender);
  if (r.ec != std::errc() || r.ptr == end || *r.ptr != 'x') return std::nullopt;
  r = std::from_chars(r.ptr + 1, end, m.seq);
  if (r.ec != std::errc()) return std::nullopt;
  return m;
}

void append_number(std::string& out, uint64_t v) {
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, v);
  out.append(digits, r.ptr);
}

namespace {

// Where `needle` starts in p[lo, hi), npos if nowhere.
size_t search(std::string_view p, std::string_view needle, size_t lo, size_t hi) {
  if (hi <= lo || hi - lo < needle.size()) return std::string_view::npos;
  return find_text(p.substr(0, hi), needle, lo);
}

size_t find_entry(std::string_view p, std::string_view needle, uint32_t hint) {
  if (size_t{hint} + needle.size() <= p.size() && p.substr(hint, needle.size()) == needle) {
    return hint;
  }
  const size_t lo = hint > 4096 ? hint - 4096 : 0;
  const size_t at = search(p, needle, lo, std::min(p.size(), size_t{hint} + 4096 + needle.size()));
  return at != std::string_view::npos ? at : search(p, needle, 0, p.size());
}

}  // namespace

std::optional<int64_t> entry_video(std::string_view p, std::string_view needle, uint32_t& hint) {
  const size_t at = find_entry(p, needle, hint);
  if (at == std::string_view::npos) return std::nullopt;
  hint = static_cast<uint32_t>(at);
  // An entry is flat (no nested object), so it ends at the first '}'.
  std::string_view entry = p.substr(at + needle.size(), 256);
  entry = entry.substr(0, entry.find('}'));
  constexpr std::string_view kVideo = R"("video":)";
  const size_t v = entry.find(kVideo);
  if (v == std::string_view::npos) return -1;
  int64_t video = 0;
  const char* first = entry.data() + v + kVideo.size();
  const auto r = std::from_chars(first, entry.data() + entry.size(), video);
  if (r.ec != std::errc()) return -1;
  return video;
}

}  // namespace bench
