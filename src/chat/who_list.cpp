#include "chat/who_list.hpp"

#include <charconv>

#include "chat/relations.hpp"
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

void WhoListBuilder::begin(const config::Settings& settings, ConnectionMap& conns,
                           const NameIndex& by_name) {
  settings_ = &settings;
  conns_ = &conns;
  by_name_ = &by_name;
  shared_[0] = shared_[1] = {};
  touched_.clear();
  for (const auto& [_, id] : by_name) {
    auto& u = conns.at(id);
    if (!u.who_entry.valid) refresh_who_entry(u);
    for (const auto* set : {&u.booted, &u.muted, &u.invited, &u.blocked}) {
      touched_.insert(set->begin(), set->end());
    }
  }
}

bool WhoListBuilder::needs_own_view(const Connection& v) const {
  if (!v.blocked.empty() || touched_.contains(v.username)) return true;
  // Its own entry is never masked, but the shared view masks a VIP-only camera.
  return (v.video & video::kOnlyVip) && !v.is_vip();
}

protocol::Frame WhoListBuilder::frame_for(const Connection& viewer) {
  if (needs_own_view(viewer)) return build(&viewer, viewer.is_vip());
  auto& f = shared_[viewer.is_vip() ? 1 : 0];
  if (!f) f = build(nullptr, viewer.is_vip());
  return f;
}

protocol::Frame WhoListBuilder::build(const Connection* viewer, bool viewer_is_vip) {
  protocol::FrameBuilder b;
  auto& out = b.text();
  constexpr std::string_view kList = R"(,"whoList":[)";
  out += R"({"action":"who")";
  out += kList;
  const size_t empty_size = out.size();
  const bool show_vip = viewer_is_vip || !settings_->vip.mutually_secret;
  for (const auto& [_, id] : *by_name_) {
    const auto& u = conns_->at(id);
    if (u.hidden()) continue;
    if (viewer && viewer->id != u.id && blocking(u, *viewer, settings_->blockable_admins)) continue;
    const int64_t video =
        viewer ? video_seen_by(u, *viewer) : video_seen_by_anyone(u, viewer_is_vip);
    if (out.size() > empty_size) out += ',';
    out += u.who_entry.head;
    char num[24];
    auto [end, ec] = std::to_chars(num, num + sizeof num, video);
    out.append(num, end);
    out += u.who_entry.tail;
    if (show_vip && u.is_vip()) out += ",\"vip\":true";
    out += u.who_entry.rest;
  }
  if (out.size() == empty_size) {
    out.resize(empty_size - kList.size());  // an empty list is omitted
    out += '}';
  } else {
    out += "]}";
  }
  return b.seal();
}

}  // namespace chat
