#include "chat/who_list.hpp"

#include <algorithm>

#include "chat/relations.hpp"
#include "chat/who_entry.hpp"

namespace chat {
namespace {

constexpr std::string_view kHead = R"({"action":"who")";
constexpr std::string_view kList = R"(,"whoList":[)";

// Closes a frame whose list started at `list_start`; an empty list is omitted.
protocol::Frame seal_list(protocol::FrameBuilder& b, size_t list_start) {
  auto& out = b.text();
  if (out.size() == list_start) {
    out.resize(list_start - kList.size());
    out += '}';
  } else {
    out += "]}";
  }
  return b.seal();
}

}  // namespace

void WhoListBuilder::begin(const config::Settings& settings, ConnectionMap& conns,
                           const NameIndex& by_name) {
  settings_ = &settings;
  conns_ = &conns;
  by_name_ = &by_name;
  built_[0] = built_[1] = false;
  index_built_ = false;
}

void WhoListBuilder::prepare() {
  if (index_built_) return;
  index_built_ = true;
  pointed_by_.clear();
  for (const auto& [_, id] : *by_name_) {
    auto& u = conns_->at(id);
    if (!u.who_entry.valid) refresh_who_entry(u);
    for (const auto* set : {&u.booted, &u.muted, &u.invited, &u.blocked}) {
      for (const auto& name : *set) {
        auto& list = pointed_by_[name];
        if (list.empty() || list.back() != id) list.push_back(id);
      }
    }
  }
}

std::span<const ConnId> WhoListBuilder::pointed_by(const std::string& name) {
  prepare();
  auto it = pointed_by_.find(name);
  if (it == pointed_by_.end()) return {};
  return it->second;
}

bool WhoListBuilder::needs_own_view(const Connection& v) {
  if (!v.blocked.empty() || !pointed_by(v.username).empty()) return true;
  // Its own entry is never masked, but the shared view masks a VIP-only camera.
  return (v.video & video::kOnlyVip) && !v.is_vip();
}

protocol::Frame WhoListBuilder::frame_for(const Connection& viewer) {
  const auto& base = shared(viewer.is_vip());
  if (!needs_own_view(viewer)) return base.frame;
  return variant(viewer, base);
}

const WhoListBuilder::SharedView& WhoListBuilder::shared(bool vip) {
  prepare();
  auto& view = shared_[vip ? 1 : 0];
  if (built_[vip ? 1 : 0]) return view;
  built_[vip ? 1 : 0] = true;
  view.entries.clear();
  view.index.clear();
  protocol::FrameBuilder b;
  auto& out = b.text();
  out += kHead;
  out += kList;
  const size_t list_start = out.size();
  const bool show_vip = shows_vip(*settings_, vip);
  for (const auto& [_, id] : *by_name_) {
    const auto& u = conns_->at(id);
    if (u.hidden()) continue;
    if (out.size() > list_start) out += ',';
    const auto begin = static_cast<uint32_t>(out.size());
    append_who_entry(out, u, video_seen_by_anyone(u, vip), show_vip);
    view.index[id] = static_cast<uint32_t>(view.entries.size());
    view.entries.push_back({id, begin, static_cast<uint32_t>(out.size())});
  }
  view.frame = seal_list(b, list_start);
  return view;
}

std::vector<uint32_t> WhoListBuilder::differing(const Connection& v, const SharedView& base) {
  std::vector<uint32_t> out;
  auto add = [&](ConnId id) {
    if (auto it = base.index.find(id); it != base.index.end()) out.push_back(it->second);
  };
  add(v.id);
  for (ConnId id : pointed_by(v.username)) add(id);
  for (const auto& name : v.blocked) {
    if (auto it = by_name_->find(name); it != by_name_->end()) add(it->second);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

protocol::Frame WhoListBuilder::variant(const Connection& v, const SharedView& base) {
  const std::string& src = *base.frame.buffer;
  protocol::FrameBuilder b(pool_);
  auto& out = b.text();
  out.reserve(src.size());
  out += kHead;
  out += kList;
  const size_t list_start = out.size();
  auto separate = [&] {
    if (out.size() > list_start) out += ',';
  };
  const bool show_vip = shows_vip(*settings_, v.is_vip());
  uint32_t next = 0;  // the first entry not yet written
  for (uint32_t i : differing(v, base)) {
    if (next < i) {  // entries next..i-1 are the same for v: copy them in one run
      separate();
      out.append(src, base.entries[next].begin, base.entries[i - 1].end - base.entries[next].begin);
    }
    next = i + 1;
    const auto& u = conns_->at(base.entries[i].user);
    if (u.id != v.id && blocking(u, v, settings_->blockable_admins)) continue;
    separate();
    append_who_entry(out, u, video_seen_by(u, v), show_vip);
  }
  if (next < base.entries.size()) {
    separate();
    out.append(src, base.entries[next].begin, base.entries.back().end - base.entries[next].begin);
  }
  return seal_list(b, list_start);
}

protocol::Frame WhoListBuilder::full_list_for(const Connection& v) {
  prepare();
  protocol::FrameBuilder b;
  auto& out = b.text();
  out += kHead;
  out += kList;
  const size_t list_start = out.size();
  for (const auto& [_, id] : *by_name_) {
    const auto& u = conns_->at(id);
    if (u.hidden()) continue;
    if (v.id != u.id && blocking(u, v, settings_->blockable_admins)) continue;
    if (out.size() > list_start) out += ',';
    append_who_entry(out, u, video_seen_by(u, v), shows_vip(*settings_, v.is_vip()));
  }
  return seal_list(b, list_start);
}

}  // namespace chat
