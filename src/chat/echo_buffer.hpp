// Recent public messages of each channel, replayed to a user at login
// (`echo`). Only channels with EchoMessagesOnJoin > 0 keep anything.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>

#include "config/settings.hpp"

namespace chat {

struct StoredMessage {
  std::string channel;
  std::string username;
  std::string html;
  int64_t msg_id = 0;
  std::string timestamp;  // RFC 3339, server local time
};

class EchoBuffer {
 public:
  void add(const config::Settings& s, StoredMessage m);
  void remove(int64_t msg_id);

  // The stored messages, channels in config order, oldest first, serialized
  // as the items of an `echo` message; `keep` filters them per viewer.
  std::string serialize(const config::Settings& s,
                        const std::function<bool(const StoredMessage&)>& keep) const;

  // Room snapshots (snapshot_codec.hpp) copy the state exactly.
  friend struct SnapshotCodec;

 private:
  std::unordered_map<std::string, std::deque<StoredMessage>> channels_;
};

}  // namespace chat
