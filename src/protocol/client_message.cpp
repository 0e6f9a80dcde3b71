#include "protocol/client_message.hpp"

#include <array>
#include <utility>

#include "protocol/json_reader.hpp"
#include "util/base64.hpp"

namespace protocol {
namespace {

constexpr std::array<std::pair<std::string_view, Action>, 21> kActions{{
    {"login", Action::kLogin},
    {"message", Action::kMessage},
    {"file", Action::kFile},
    {"me", Action::kMe},
    {"open", Action::kOpen},
    {"boot", Action::kBoot},
    {"unboot", Action::kUnboot},
    {"mute", Action::kMute},
    {"unmute", Action::kUnmute},
    {"block", Action::kBlock},
    {"blocklist", Action::kBlocklist},
    {"candidate", Action::kCandidate},
    {"sdp", Action::kSdp},
    {"watch", Action::kWatch},
    {"unwatch", Action::kUnwatch},
    {"takeback", Action::kTakeback},
    {"react", Action::kReact},
    {"report", Action::kReport},
    {"video-invite", Action::kVideoInvite},
    {"typing", Action::kTyping},
    {"ping", Action::kPing},
}};

Action lookup_action(std::string_view name) {
  for (const auto& [n, a] : kActions) {
    if (n == name) return a;
  }
  return Action::kUnsupported;
}

// `bytes` is an array of integers 0-255 (what browsers send) or base64.
std::string read_bytes(ObjectReader& r, std::string& out) {
  auto* v = r.find("bytes");
  if (!v) return {};
  if (v->IsString()) {
    auto decoded = util::base64_decode({v->GetString(), v->GetStringLength()});
    if (!decoded) return "\"bytes\" is not valid base64";
    out = std::move(*decoded);
    return {};
  }
  if (!v->IsArray()) return "\"bytes\" must be an array of bytes or a base64 string";
  out.reserve(v->Size());
  for (const auto& b : v->GetArray()) {
    if (!b.IsInt() || b.GetInt() < 0 || b.GetInt() > 255)
      return "\"bytes\" must hold integers 0-255";
    out.push_back(static_cast<char>(b.GetInt()));
  }
  return {};
}

}  // namespace

std::string_view action_name(Action a) {
  for (const auto& [n, x] : kActions) {
    if (x == a) return n;
  }
  return "";
}

std::expected<ClientMessage, std::string> decode_client_message(std::string_view json) {
  // A large message is a picture: its string is decoded in a copy of the
  // frame, in place, rather than through the parser's stack and a copy.
  constexpr size_t kInPlaceFrom = 64 << 10;
  std::string buffer;
  if (json.size() >= kInPlaceFrom) buffer.assign(json);
  auto doc = buffer.empty() ? parse_json(json) : parse_json_in_place(buffer);
  if (!doc)
    return std::unexpected("Could not read your message: it is not valid JSON: " + doc.error());
  return decode_client_message(*doc);
}

std::expected<ClientMessage, std::string> decode_client_message(const rapidjson::Value& object) {
  if (!object.IsObject())
    return std::unexpected("Could not read your message: expected a JSON object.");

  ClientMessage m;
  ObjectReader r(object);
  r.read("action", m.action_name);
  m.action = lookup_action(m.action_name);
  r.read("channel", m.channel);
  r.read("username", m.username);
  r.read("message", m.message);
  r.read("jwt", m.jwt);
  r.read("video", m.video);
  r.read("status", m.status);
  r.read("dnd", m.dnd);
  r.read("msgID", m.msg_id);
  r.read("openSecret", m.open_secret);
  r.read("usernames", m.usernames);
  r.read("timestamp", m.timestamp);
  r.read("reason", m.reason);
  r.read("comment", m.comment);
  r.read("candidate", m.candidate);
  r.read("description", m.description);
  r.read("extensions", m.extensions);
  if (!r.ok()) return std::unexpected("Could not read your message: " + r.error() + ".");
  if (m.action == Action::kFile) {
    if (auto err = read_bytes(r, m.bytes); !err.empty()) {
      return std::unexpected("Could not read your message: " + err + ".");
    }
  }
  return m;
}

}  // namespace protocol
