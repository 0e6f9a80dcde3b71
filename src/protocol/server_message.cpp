#include "protocol/server_message.hpp"

#include "protocol/json_writer.hpp"

namespace protocol {

void encode(const ServerMessage& m, std::string& out) {
  JsonWriter w(out);
  w.begin_object();
  auto text = [&](std::string_view k, std::string_view v) {
    if (!v.empty()) w.field(k, v);
  };
  auto raw = [&](std::string_view k, std::string_view v, char open, char close) {
    if (v.empty()) return;
    w.key(k).raw({});  // settles the writer's separator state before the raw bytes
    out.push_back(open);
    out.append(v);
    out.push_back(close);
  };
  text("action", m.action);
  text("channel", m.channel);
  text("username", m.username);
  text("message", m.message);
  text("jwt", m.jwt);
  raw("whoList", m.who_list, '[', ']');
  if (m.video != 0) w.field("video", m.video);
  text("status", m.status);
  if (m.dnd) w.field("dnd", true);
  if (m.msg_id != 0) w.field("msgID", m.msg_id);
  text("openSecret", m.open_secret);
  text("timestamp", m.timestamp);
  raw("messages", m.messages, '[', ']');
  if (!m.jwt_rules.empty()) w.key("jwtRules").raw(m.jwt_rules);
  text("candidate", m.candidate);
  text("description", m.description);
  raw("extensions", m.extensions, '[', ']');
  w.end_object();
}

Frame make_frame(const ServerMessage& m) {
  FrameBuilder b;
  encode(m, b.text());
  return b.seal();
}

Frame chat_server_notice(std::string_view text, std::string_view channel) {
  return make_frame(
      {.action = "error", .channel = channel, .username = kChatServer, .message = text});
}

}  // namespace protocol
