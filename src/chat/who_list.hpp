// Builds `who` frames. Every user's entry is serialized once (and again only
// when their profile changes); a list is the concatenation of those pieces
// with each `video` value written per viewer.
//
// Viewers that no relation touches share one frame (one for VIPs, one for
// everybody else). A viewer that some relation touches gets the shared frame
// with only the entries that differ for it re-serialized or removed: the
// rest is copied from the shared frame in runs, so its cost is one copy plus
// work proportional to its relations, not a serialization of N entries.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

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

  // The list built entry by entry for this viewer: what frame_for() must
  // produce (the tests compare the two).
  protocol::Frame full_list_for(const Connection& viewer);

 private:
  struct Entry {
    ConnId user;
    uint32_t begin, end;  // bytes of the entry in the shared frame's buffer
  };
  struct SharedView {
    protocol::Frame frame;
    std::vector<Entry> entries;  // in list order
    std::unordered_map<ConnId, uint32_t> index;
  };

  bool needs_own_view(const Connection& viewer) const;
  const SharedView& shared(bool vip);
  protocol::Frame variant(const Connection& viewer, const SharedView& base);
  // The indexes (into base.entries) of the entries that may differ for `v`.
  std::vector<uint32_t> differing(const Connection& v, const SharedView& base) const;
  void append_entry(std::string& out, const Connection& u, int64_t video, bool show_vip) const;
  bool shows_vip(bool viewer_is_vip) const;

  const config::Settings* settings_ = nullptr;
  ConnectionMap* conns_ = nullptr;
  const NameIndex* by_name_ = nullptr;
  // name -> the signed-in users whose boot, mute, invite or block sets list it
  std::unordered_map<std::string, std::vector<ConnId>> pointed_by_;
  SharedView shared_[2];  // [viewer is VIP]
  bool built_[2] = {false, false};
};

// Rebuilds the cached pieces of a user's entry.
void refresh_who_entry(Connection& u);

}  // namespace chat
