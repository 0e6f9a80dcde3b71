#include "chat/link_spam.hpp"

#include <tuple>

#include <re2/re2.h>

#include <algorithm>
#include <vector>

namespace chat {
namespace {

// Links a sender may have on record; past it the oldest are forgotten, so a
// flood of distinct links cannot grow memory.
constexpr size_t kMaxLinksPerSender = 1'000;

const re2::RE2& link_pattern() {
  static const re2::RE2 re(
      R"(((?:https?://)?(?:www\.)?[-a-zA-Z0-9@%._+~#=]{2,256}\.[a-z]{2,6}\b[-a-zA-Z0-9@:%_+.~#?&/=]*))");
  return re;
}

std::vector<std::string> distinct_links(std::string_view text) {
  std::vector<std::string> out;
  re2::StringPiece input(text.data(), text.size());
  std::string link;
  while (re2::RE2::FindAndConsume(&input, link_pattern(), &link)) {
    if (std::find(out.begin(), out.end(), link) == out.end()) out.push_back(link);
  }
  return out;
}

}  // namespace

void LinkSpamGuard::forget_expired(Links& links, int64_t now_ms, int64_t limit_ms) {
  std::erase_if(links,
                [&](const auto& entry) { return now_ms - entry.second.last_sent_ms > limit_ms; });
  while (links.size() > kMaxLinksPerSender) {
    // Ties (the links of one message) broken by the link itself, not by the
    // hash table's order: every node of a cluster forgets the same one.
    auto oldest = std::min_element(links.begin(), links.end(), [](const auto& a, const auto& b) {
      return std::tie(a.second.last_sent_ms, a.first) < std::tie(b.second.last_sent_ms, b.first);
    });
    links.erase(oldest);
  }
}

void LinkSpamGuard::sweep(int64_t now_ms, const config::DmLinkSpamProtection& rules) {
  for (auto it = by_sender_.begin(); it != by_sender_.end();) {
    forget_expired(it->second, now_ms, rules.time_limit_seconds * 1000);
    it = it->second.empty() ? by_sender_.erase(it) : std::next(it);
  }
}

LinkSpamGuard::Verdict LinkSpamGuard::check(const std::string& sender, std::string_view target,
                                            std::string_view text, int64_t now_ms,
                                            const config::DmLinkSpamProtection& rules) {
  if (!rules.enabled) return Verdict::kDeliver;
  const auto found = distinct_links(text);
  auto& links = by_sender_[sender];
  forget_expired(links, now_ms, rules.time_limit_seconds * 1000);
  Verdict verdict = Verdict::kDeliver;
  for (const auto& url : found) {
    auto& link = links[url];
    link.recipients.emplace(target);
    link.last_sent_ms = now_ms;
    if (static_cast<int64_t>(link.recipients.size()) <= rules.max_threads) continue;
    if (link.kicked) return Verdict::kBan;
    link.kicked = true;
    verdict = Verdict::kKick;
  }
  if (links.empty()) by_sender_.erase(sender);
  return verdict;
}

}  // namespace chat
