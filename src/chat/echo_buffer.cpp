#include "chat/echo_buffer.hpp"

#include "protocol/server_message.hpp"

namespace chat {

void EchoBuffer::add(const config::Settings& s, StoredMessage m) {
  const auto* channel = s.find_channel(m.channel);
  if (!channel || channel->echo_messages_on_join <= 0) return;
  auto& q = channels_[m.channel];
  q.push_back(std::move(m));
  while (static_cast<int64_t>(q.size()) > channel->echo_messages_on_join) q.pop_front();
}

void EchoBuffer::remove(int64_t msg_id) {
  for (auto& [_, q] : channels_) {
    std::erase_if(q, [&](const StoredMessage& m) { return m.msg_id == msg_id; });
  }
}

std::string EchoBuffer::serialize(const config::Settings& s,
                                  const std::function<bool(const StoredMessage&)>& keep) const {
  std::string out;
  for (const auto& channel : s.public_channels) {
    auto it = channels_.find(channel.id);
    if (it == channels_.end()) continue;
    for (const auto& m : it->second) {
      if (!keep(m)) continue;
      if (!out.empty()) out.push_back(',');
      protocol::encode({.action = "message",
                        .channel = m.channel,
                        .username = m.username,
                        .message = m.html,
                        .msg_id = m.msg_id,
                        .timestamp = m.timestamp},
                       out);
    }
  }
  return out;
}

}  // namespace chat
