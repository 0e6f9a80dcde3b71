#include "chat/who_delta.hpp"

#include <algorithm>
#include <vector>

#include "chat/relations.hpp"
#include "chat/who_entry.hpp"
#include "protocol/json_writer.hpp"

namespace chat {
namespace {

using NameSetSorted = std::set<std::string, std::less<>>;

protocol::Frame seal_delta(const std::string& set, const std::string& remove) {
  protocol::FrameBuilder b;
  auto& out = b.text();
  out.reserve(40 + set.size() + remove.size());
  out += R"({"action":"who-delta")";
  if (!set.empty()) (out += R"(,"set":[)") += set, out += ']';
  if (!remove.empty()) (out += R"(,"remove":[)") += remove, out += ']';
  out += '}';
  return b.seal();
}

}  // namespace

void WhoDeltaBuilder::begin(const config::Settings& settings, ConnectionMap& conns,
                            const NameIndex& by_name, const WhoChanges& changes,
                            WhoListBuilder& lists) {
  settings_ = &settings;
  conns_ = &conns;
  by_name_ = &by_name;
  changes_ = &changes;
  built_[0] = built_[1] = false;
  touched_.clear();
  lists.prepare();
  mark_touched(lists);
}

// A viewer needs its own delta when a relation ties it to a changed user
// (either side's sets name the other), or when the changed user is itself
// and its own VIP-only camera, masked in the shared view, is not masked for it.
void WhoDeltaBuilder::mark_touched(WhoListBuilder& lists) {
  for (const auto& name : changes_->users) {
    auto it = by_name_->find(name);
    if (it == by_name_->end()) continue;  // gone: removed for everyone alike
    const auto& u = conns_->at(it->second);
    if ((u.video & video::kOnlyVip) && !u.is_vip()) touched_.insert(u.id);
    for (const auto* set : {&u.booted, &u.muted, &u.invited, &u.blocked}) {
      for (const auto& n : *set) {
        if (auto v = by_name_->find(n); v != by_name_->end()) touched_.insert(v->second);
      }
    }
    for (ConnId id : lists.pointed_by(name)) touched_.insert(id);
  }
}

protocol::Frame WhoDeltaBuilder::frame_for(const Connection& viewer) {
  const NameSetSorted* pairs = nullptr;
  if (auto it = changes_->pairs.find(viewer.username); it != changes_->pairs.end()) {
    pairs = &it->second;
  }
  if (pairs || touched_.contains(viewer.id)) return own(viewer, pairs);
  if (changes_->users.empty()) return {};
  return shared(viewer.is_vip());
}

protocol::Frame WhoDeltaBuilder::shared(bool vip) {
  auto& frame = shared_[vip ? 1 : 0];
  if (built_[vip ? 1 : 0]) return frame;
  built_[vip ? 1 : 0] = true;
  std::string set, remove;
  for (const auto& name : changes_->users) write_change(name, nullptr, vip, set, remove);
  frame = seal_delta(set, remove);
  return frame;
}

protocol::Frame WhoDeltaBuilder::own(const Connection& viewer, const NameSetSorted* pairs) {
  std::vector<std::string_view> names;
  if (pairs) {
    std::set_union(changes_->users.begin(), changes_->users.end(), pairs->begin(), pairs->end(),
                   std::back_inserter(names));
  } else {
    names.assign(changes_->users.begin(), changes_->users.end());
  }
  std::string set, remove;
  for (auto name : names) write_change(name, &viewer, viewer.is_vip(), set, remove);
  return seal_delta(set, remove);
}

void WhoDeltaBuilder::write_change(std::string_view name, const Connection* viewer, bool vip,
                                   std::string& set, std::string& remove) const {
  auto it = by_name_->find(name);
  const Connection* u = it == by_name_->end() ? nullptr : &conns_->at(it->second);
  bool visible = u && !u->hidden();
  if (visible && viewer && u->id != viewer->id) {
    visible = !blocking(*u, *viewer, settings_->blockable_admins);
  }
  if (!visible) {
    if (!remove.empty()) remove += ',';
    protocol::append_json_string(remove, name);
    return;
  }
  if (!set.empty()) set += ',';
  const int64_t video = viewer ? video_seen_by(*u, *viewer) : video_seen_by_anyone(*u, vip);
  append_who_entry(set, *u, video, shows_vip(*settings_, vip));
}

}  // namespace chat
