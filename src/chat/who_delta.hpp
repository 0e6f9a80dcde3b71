// Builds `who-delta` frames (docs/protocol-extensions.md): for one batch's
// changes, the entries each delta viewer must set or remove so that its list
// equals the full list it would get now.
//
// Like full lists, deltas are shared: viewers that no relation with a changed
// user touches get one frame (one for VIPs, one for everybody else); the
// others get their own, built from the changed users and their own pairs
// only. The cost of a batch is proportional to what changed and to the
// relations of the changed users, never to the room's size times itself.
#pragma once

#include <unordered_set>

#include "chat/who_changes.hpp"
#include "chat/who_list.hpp"

namespace chat {

class WhoDeltaBuilder {
 public:
  // Starts a batch; `lists` gives the relation index of the current state.
  void begin(const config::Settings& settings, ConnectionMap& conns, const NameIndex& by_name,
             const WhoChanges& changes, WhoListBuilder& lists);
  // The delta for this viewer; an empty frame when nothing changed for it.
  protocol::Frame frame_for(const Connection& viewer);

 private:
  void mark_touched(WhoListBuilder& lists);
  protocol::Frame shared(bool vip);
  protocol::Frame own(const Connection& viewer, const std::set<std::string, std::less<>>* pairs);
  // Writes one name's change as `viewer` sees it; a null viewer is a viewer
  // no relation touches, of the given VIP class.
  void write_change(std::string_view name, const Connection* viewer, bool vip, std::string& set,
                    std::string& remove) const;

  const config::Settings* settings_ = nullptr;
  ConnectionMap* conns_ = nullptr;
  const NameIndex* by_name_ = nullptr;
  const WhoChanges* changes_ = nullptr;
  std::unordered_set<ConnId> touched_;  // viewers that need their own delta
  protocol::Frame shared_[2];           // [viewer is VIP]
  bool built_[2] = {false, false};
};

}  // namespace chat
