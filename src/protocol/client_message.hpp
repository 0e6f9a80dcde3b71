// Messages from a client, decoded from one WebSocket text frame. This is the
// only place that knows the JSON field names of incoming frames.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

namespace protocol {

enum class Action : uint8_t {
  kUnsupported,  // anything else; `action_name` keeps what was sent
  kLogin,
  kMessage,
  kFile,
  kMe,
  kOpen,
  kBoot,
  kUnboot,
  kMute,
  kUnmute,
  kBlock,
  kBlocklist,
  kCandidate,
  kSdp,
  kWatch,
  kUnwatch,
  kTakeback,
  kReact,
  kReport,
  kVideoInvite,
  kTyping,
  kPing,
};

// Every field of the envelope a client may send; absent fields keep their
// zero value, as in the original (a `me` without `status` sets it to "").
struct ClientMessage {
  Action action = Action::kUnsupported;
  std::string action_name;
  std::string channel;
  std::string username;
  std::string message;
  std::string jwt;
  int64_t video = 0;
  std::string status;
  bool dnd = false;
  int64_t msg_id = 0;
  std::string open_secret;
  std::vector<std::string> usernames;
  std::string timestamp;
  std::string reason;
  std::string comment;
  std::string candidate;
  std::string description;
  std::string bytes;  // `file` payload, decoded from an int array or base64
  // `login`: the protocol extensions the client asks for (ours, not the
  // original's: docs/protocol-extensions.md).
  std::vector<std::string> extensions;
};

// Decodes one frame. The error is a sentence for the client ("Could not read
// your message: ..."). UTF-8 is checked by the caller (the WebSocket layer).
std::expected<ClientMessage, std::string> decode_client_message(std::string_view json);
// The same, from an object already parsed (a polling request's `msg`).
std::expected<ClientMessage, std::string> decode_client_message(const rapidjson::Value& object);

std::string_view action_name(Action a);

}  // namespace protocol
