// Builds full `who` frames. A list is the concatenation of the users'
// pre-serialized entries (who_entry.hpp) with `video` written per viewer.
//
// Viewers that no relation touches share one frame (one for VIPs, one for
// everybody else). A viewer that some relation touches gets the shared frame
// with only the entries that differ for it re-serialized or removed: the
// rest is copied from the shared frame in runs, so its cost is one copy plus
// work proportional to its relations, not a serialization of N entries.
//
// Frames are built on demand and kept until begin() is called again, which
// the room does whenever something a list shows has changed: a big room's
// lists, paced out over many batches, are built once per change.
#pragma once

#include <map>
#include <memory>
#include <span>
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
  // Starts over from the current state; nothing is built until asked.
  void begin(const config::Settings& settings, ConnectionMap& conns, const NameIndex& by_name);
  protocol::Frame frame_for(const Connection& viewer);

  // The list built entry by entry for this viewer: what frame_for() must
  // produce (the tests compare the two).
  protocol::Frame full_list_for(const Connection& viewer);

  // The signed-in users whose boot, mute, invite or block sets name `name`.
  std::span<const ConnId> pointed_by(const std::string& name);
  // Makes every signed-in user's entry pieces valid, and the index above.
  void prepare();
  // Frees the buffers kept for reuse (the room is quiet).
  void release_memory() { pool_->clear(); }

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

  bool needs_own_view(const Connection& viewer);
  const SharedView& shared(bool vip);
  protocol::Frame variant(const Connection& viewer, const SharedView& base);
  // The indexes (into base.entries) of the entries that may differ for `v`.
  std::vector<uint32_t> differing(const Connection& v, const SharedView& base);

  // Variants are big and short-lived: their buffers are reused (a round's
  // worth at 2,000 users with a few hundred touched viewers).
  static constexpr size_t kPoolBytes = 64 << 20;
  std::shared_ptr<protocol::BufferPool> pool_ = std::make_shared<protocol::BufferPool>(kPoolBytes);

  const config::Settings* settings_ = nullptr;
  ConnectionMap* conns_ = nullptr;
  const NameIndex* by_name_ = nullptr;
  // name -> the signed-in users whose boot, mute, invite or block sets list it
  std::unordered_map<std::string, std::vector<ConnId>> pointed_by_;
  bool index_built_ = false;
  SharedView shared_[2];  // [viewer is VIP]
  bool built_[2] = {false, false};
};

}  // namespace chat
