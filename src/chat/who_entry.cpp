#include "chat/who_entry.hpp"

#include <charconv>

#include "protocol/json_writer.hpp"

namespace chat {

void refresh_who_entry(Connection& u) {
  auto& e = u.who_entry;
  const auth::Claims none;
  const auto& c = u.claims ? *u.claims : none;
  e.head.clear();
  protocol::JsonWriter h(e.head);
  h.begin_object().field("username", u.username);
  if (!c.nick.empty()) h.field("nickname", c.nick);
  h.field("status", u.status).key("video");  // the value is written per viewer

  e.tail.clear();
  if (u.dnd) e.tail += ",\"dnd\":true";
  e.tail += ",\"loginAt\":" + std::to_string(u.login_at);
  e.tail += u.is_op() ? ",\"op\":true" : ",\"op\":false";

  e.rest.clear();
  auto text = [&](const char* key, const std::string& v) {
    if (v.empty()) return;
    e.rest += ",\"";
    e.rest += key;
    e.rest += "\":";
    protocol::append_json_string(e.rest, v);
  };
  text("avatar", c.img);
  text("profileURL", c.url);
  text("emoji", c.emoji);
  text("gender", c.gender);
  e.rest += '}';
  e.valid = true;
}

void append_who_entry(std::string& out, const Connection& u, int64_t video, bool show_vip) {
  out += u.who_entry.head;
  char num[24];
  auto [end, ec] = std::to_chars(num, num + sizeof num, video);
  out.append(num, end);
  out += u.who_entry.tail;
  if (show_vip && u.is_vip()) out += ",\"vip\":true";
  out += u.who_entry.rest;
}

}  // namespace chat
