// Messages from the server, encoded in the envelope's key order with zero
// values omitted, exactly as the original writes them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/frame.hpp"

namespace protocol {

// Views into the caller's data; the encoder copies what it writes.
struct ServerMessage {
  std::string_view action;
  std::string_view channel;
  std::string_view username;
  std::string_view message;
  std::string_view jwt;
  std::string_view who_list;  // serialized entries without brackets; empty = omitted
  int64_t video = 0;
  std::string_view status;
  bool dnd = false;
  int64_t msg_id = 0;
  std::string_view open_secret;
  std::string_view timestamp;
  std::string_view messages;   // serialized messages without brackets; empty = omitted
  std::string_view jwt_rules;  // a serialized object; empty = omitted
  std::string_view candidate;
  std::string_view description;
  // `me`: the protocol extensions granted (JSON strings without brackets);
  // empty = omitted, as for clients that asked for none.
  std::string_view extensions;
};

// The name the server uses on its own notices.
inline constexpr std::string_view kChatServer = "ChatServer";

void encode(const ServerMessage& m, std::string& out);
Frame make_frame(const ServerMessage& m);

// {"action":"error","channel":C,"username":"ChatServer","message":TEXT}
Frame chat_server_notice(std::string_view text, std::string_view channel = {});

}  // namespace protocol
