#include "chat/recent_context.hpp"

#include "util/local_time.hpp"
#include "util/text.hpp"

namespace chat {
namespace {

// What a conversation costs beyond its key and the lines' text (measured
// with glibc: hash node, the deque's map and first block, the list node),
// and what each line costs beyond its text (the deque slot, the heap block).
constexpr size_t kEntryBytes = 900;
constexpr size_t kLineOverhead = 64;

}  // namespace

std::string RecentContext::dm_key(std::string_view a, std::string_view b) {
  if (b < a) std::swap(a, b);
  std::string key;
  key.reserve(a.size() + b.size() + 2);
  key.append("@").append(a).append(":").append(b);
  return key;
}

void RecentContext::add(const std::string& key, int64_t unix_seconds, std::string_view username,
                        std::string_view text) {
  auto [it, added] = lines_.try_emplace(key);
  auto& c = it->second;
  if (added) {
    recent_.push_front(key);
    bytes_ += key.size() + kEntryBytes;
  } else {
    recent_.splice(recent_.begin(), recent_, c.age);
  }
  c.age = recent_.begin();
  Line line{unix_seconds, {}};
  const auto body = util::cut_utf8(util::trim(text), kLineBytes);
  line.text.reserve(username.size() + body.size() + 3);
  line.text.append("[").append(username).append("] ").append(body);
  bytes_ += line.text.size() + kLineOverhead;
  c.lines.push_back(std::move(line));
  if (c.lines.size() > kLines) {
    bytes_ -= c.lines.front().text.size() + kLineOverhead;
    c.lines.pop_front();
  }
  while (bytes_ > kMaxBytes && recent_.size() > 1) forget_oldest();
}

void RecentContext::forget_oldest() {
  auto it = lines_.find(recent_.back());
  for (const auto& line : it->second.lines) bytes_ -= line.text.size() + kLineOverhead;
  bytes_ -= it->first.size() + kEntryBytes;
  lines_.erase(it);
  recent_.pop_back();
}

std::string RecentContext::text(const std::string& key) const {
  auto it = lines_.find(key);
  if (it == lines_.end() || it->second.lines.empty()) {
    return "(No recent message history in this channel)";
  }
  std::string out;
  for (const auto& line : it->second.lines) {
    if (!out.empty()) out += "\n\n";
    out.append(util::datetime_local(line.at)).append(" ").append(line.text);
  }
  return out;
}

}  // namespace chat
