// Builds `who` frames. Every user's entry is serialized once (and again only
// when their profile changes); a list is the concatenation of those pieces
// with each `video` value written per viewer. Viewers that no relation
// touches share one frame (one for VIPs, one for everybody else); only the
// others get a list of their own.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "chat/connection.hpp"
#include "config/settings.hpp"
#include "protocol/frame.hpp"

namespace chat {

using ConnectionMap = std::unordered_map<ConnId, Connection>;
using NameIndex = std::map<std::string, ConnId, std::less<>>;

class WhoListBuilder {
 public:
  // Starts a round over the current state; frames are built on demand.
  void begin(const config::Settings& settings, ConnectionMap& conns, const NameIndex& by_name);
  protocol::Frame frame_for(const Connection& viewer);

 private:
  bool needs_own_view(const Connection& viewer) const;
  protocol::Frame build(const Connection* viewer, bool viewer_is_vip);

  const config::Settings* settings_ = nullptr;
  ConnectionMap* conns_ = nullptr;
  const NameIndex* by_name_ = nullptr;
  std::unordered_set<std::string> touched_;  // names some relation points at
  protocol::Frame shared_[2];                // [viewer is VIP]
};

// Rebuilds the cached pieces of a user's entry.
void refresh_who_entry(Connection& u);

}  // namespace chat
