// DM link-spam protection (chat.md §6): a user who pastes the same link into
// DMs with too many different people is kicked, and banned if they do it
// again. Links are tracked per sender by their exact text, and forgotten
// when not sent again for `TimeLimit` seconds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "config/settings.hpp"

namespace chat {

class LinkSpamGuard {
 public:
  enum class Verdict { kDeliver, kKick, kBan };

  // A DM from `sender` to `target` with this raw text, at `now_ms`. The same
  // link twice in one message counts once (the original deadlocked on it).
  Verdict check(const std::string& sender, std::string_view target, std::string_view text,
                int64_t now_ms, const config::DmLinkSpamProtection& rules);
  // Forgets every sender's links not sent again in time.
  void sweep(int64_t now_ms, const config::DmLinkSpamProtection& rules);

  // Room snapshots (snapshot_codec.hpp) copy the state exactly.
  friend struct SnapshotCodec;

 private:
  struct Link {
    std::unordered_set<std::string> recipients;  // DM partners it went to
    int64_t last_sent_ms = 0;
    bool kicked = false;
  };
  using Links = std::unordered_map<std::string, Link>;  // by the link's text
  void forget_expired(Links& links, int64_t now_ms, int64_t limit_ms);

  std::unordered_map<std::string, Links> by_sender_;
};

}  // namespace chat
