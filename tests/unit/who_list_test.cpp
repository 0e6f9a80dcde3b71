#include <gtest/gtest.h>

#include <random>

#include "chat/who_list.hpp"

using chat::Connection;
using chat::ConnectionMap;
using chat::NameIndex;
using chat::WhoListBuilder;

namespace {

struct Room {
  ConnectionMap conns;
  NameIndex by_name;

  Connection& add(chat::ConnId id, std::string name) {
    auto& c = conns[id];
    c.id = id;
    c.username = name;
    c.authenticated = true;
    c.login_at = 1000 + static_cast<int64_t>(id);
    by_name[name] = id;
    return c;
  }
};

// A random room: cameras with every flag, VIPs, operators, hidden users, and
// boots, mutes, invites and blocks between them (some naming offline users).
Room random_room(std::mt19937& rng, int users) {
  Room r;
  std::uniform_int_distribution<int> pct(0, 99);
  std::uniform_int_distribution<int> flags(0, 511 & ~128);
  std::uniform_int_distribution<int> who(0, users + 2);  // a few names are offline
  for (int i = 0; i < users; ++i) {
    auto& c = r.add(static_cast<chat::ConnId>(i + 1), "u" + std::to_string(i));
    c.video = pct(rng) < 40 ? flags(rng) : 0;
    if (pct(rng) < 20 || pct(rng) < 10) {
      c.claims = auth::Claims{};
      c.claims->sub = c.username;
      c.claims->vip = pct(rng) < 50;
      c.claims->op = pct(rng) < 30;
      c.claims->nick = "Nick " + c.username;
    }
    if (pct(rng) < 5) c.status = "hidden";
    if (pct(rng) < 10) c.dnd = true;
  }
  for (auto& [_, c] : r.conns) {
    for (auto* set : {&c.booted, &c.muted, &c.invited, &c.blocked}) {
      if (pct(rng) < 15) set->insert("u" + std::to_string(who(rng)));
    }
  }
  return r;
}

}  // namespace

TEST(WhoList, EveryViewersFrameEqualsItsListBuiltEntryByEntry) {
  std::mt19937 rng(20261125);
  for (int round = 0; round < 200; ++round) {
    auto room = random_room(rng, 1 + round % 40);
    auto settings = config::default_settings("k");
    settings.vip.mutually_secret = round % 2;
    settings.blockable_admins = round % 3 == 0;
    WhoListBuilder builder;
    builder.begin(settings, room.conns, room.by_name);
    for (const auto& [_, id] : room.by_name) {
      const auto& viewer = room.conns.at(id);
      ASSERT_EQ(builder.frame_for(viewer).payload(), builder.full_list_for(viewer).payload())
          << "round " << round << ", viewer " << viewer.username;
    }
  }
}

TEST(WhoList, UntouchedViewersShareAFrame) {
  Room room;
  for (int i = 0; i < 5; ++i) room.add(i + 1, "u" + std::to_string(i));
  room.conns.at(1).booted.insert("u1");  // u0 booted u1: u0 and u1 differ, not the others
  auto settings = config::default_settings("k");
  WhoListBuilder builder;
  builder.begin(settings, room.conns, room.by_name);
  const auto shared = builder.frame_for(room.conns.at(3)).buffer.get();
  EXPECT_EQ(builder.frame_for(room.conns.at(4)).buffer.get(), shared);
  EXPECT_EQ(builder.frame_for(room.conns.at(5)).buffer.get(), shared);
  EXPECT_NE(builder.frame_for(room.conns.at(2)).buffer.get(), shared);
}

TEST(WhoList, AnEmptyListOmitsTheKey) {
  Room room;
  room.add(1, "only").status = "hidden";
  auto settings = config::default_settings("k");
  WhoListBuilder builder;
  builder.begin(settings, room.conns, room.by_name);
  EXPECT_EQ(builder.frame_for(room.conns.at(1)).payload(), R"({"action":"who"})");
}
