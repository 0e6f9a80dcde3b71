// What changed in the who lists during one batch of events, for the viewers
// that get deltas (docs/protocol-extensions.md): whose entry changed for
// everyone, and whose view of whom changed through a relation.
#pragma once

#include <set>
#include <string>
#include <unordered_map>

namespace chat {

struct WhoChanges {
  // Users whose entry changed for every viewer: they joined, left, or
  // changed their camera, status or profile. Sorted, as lists are.
  std::set<std::string, std::less<>> users;
  // viewer name -> users whose entry changed for that viewer only (a boot,
  // mute, invite or block between them).
  std::unordered_map<std::string, std::set<std::string, std::less<>>> pairs;
  // Every view may have changed (the settings did): full lists for all.
  bool everything = false;

  bool empty() const { return users.empty() && pairs.empty() && !everything; }
  void clear() {
    users.clear();
    pairs.clear();
    everything = false;
  }
};

}  // namespace chat
