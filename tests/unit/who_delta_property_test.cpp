// The who-delta extension's promise (docs/protocol-extensions.md): a client
// that applies every delta to its last full list holds exactly the list the
// original protocol would send it now. Checked after every batch of random
// events: logins (guests, JWT users with op and VIP claims, takeovers),
// disconnects, camera flags, statuses (hidden included), boots, mutes,
// blocks, blocklists, invites and settings changes, with several viewers of
// each kind. Clients without deltas must hold that same list as their last
// full list (the budget is unlimited here).
#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <random>

#include "room_harness.hpp"

namespace {

using test::RoomHarness;
using Entries = std::map<std::string, std::string>;  // username -> entry JSON

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return buf.GetString();
}

Entries parse_who(const std::string& frame) {
  Entries out;
  auto doc = protocol::parse_json(frame);
  EXPECT_TRUE(doc && doc->IsObject()) << frame;
  if (!doc || !doc->HasMember("whoList")) return out;
  for (const auto& e : (*doc)["whoList"].GetArray()) out[e["username"].GetString()] = to_json(e);
  return out;
}

// What a client does with its who frames.
void apply_frame(Entries& list, const std::string& frame) {
  const auto action = RoomHarness::action_of(frame);
  if (action == "who") {
    list = parse_who(frame);
  } else if (action == "who-delta") {
    auto doc = protocol::parse_json(frame);
    ASSERT_TRUE(doc && doc->IsObject());
    ASSERT_TRUE(doc->HasMember("set") || doc->HasMember("remove")) << "an empty delta: " << frame;
    if (doc->HasMember("remove")) {
      for (const auto& n : (*doc)["remove"].GetArray()) list.erase(n.GetString());
    }
    if (doc->HasMember("set")) {
      for (const auto& e : (*doc)["set"].GetArray()) list[e["username"].GetString()] = to_json(e);
    }
  }
}

class RandomRoom {
 public:
  explicit RandomRoom(uint32_t seed) : rng_(seed), h_(make_settings(false, false)) {}

  static config::Settings make_settings(bool secret, bool blockable) {
    auto s = RoomHarness::make_settings();
    s.who_list_bytes_per_second = 0;
    s.vip.mutually_secret = secret;
    s.blockable_admins = blockable;
    return s;
  }

  void step() {
    if (pct() < 4) {
      h_.room().set_settings(
          std::make_shared<config::Settings>(make_settings(pct() < 50, pct() < 50)));
      h_.apply(chat::Tick{});
    } else {
      std::vector<chat::EventBody> batch;
      const int n = 1 + pick(4);
      for (int i = 0; i < n; ++i) add_event(batch);
      h_.apply_batch(std::move(batch));
    }
    h_.advance(1000);
    absorb();
  }

  // Every signed-in viewer holds the list it would be sent now.
  void check(int step) {
    for (chat::ConnId id = 1; id <= kConns; ++id) {
      const auto* c = h_.room().find(id);
      if (!c || !c->authenticated) continue;
      const auto expected = parse_who(h_.room().who_list_for(id));
      ASSERT_EQ(lists_[id], expected)
          << "step " << step << ", viewer " << c->username << (c->who_deltas ? " (deltas)" : "");
    }
  }

 private:
  static constexpr chat::ConnId kConns = 12;

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  int pct() { return pick(100); }
  std::string name() {
    static const char* kNames[] = {"a", "a 2", "B", "b", "c", "d d", "e", "op", "vip", "zed"};
    return kNames[pick(10)];
  }
  std::string names() {
    std::string out = "\"" + name() + "\"";
    if (pct() < 50) out += ",\"" + name() + "\"";
    return out;
  }

  void add_event(std::vector<chat::EventBody>& batch) {
    const chat::ConnId id = 1 + pick(kConns);
    const auto* c = h_.room().find(id);
    if (!c) {
      batch.push_back(chat::Connected{id});
      lists_.erase(id);
      return;
    }
    if (!c->authenticated && pct() < 70) return batch.push_back(login(id));
    if (pct() < 8) return batch.push_back(chat::Disconnected{id});
    batch.push_back(h_.received(id, action()));
  }

  chat::Received login(chat::ConnId id) {
    const std::string ext = pct() < 50 ? R"(,"extensions":["who-delta"])" : "";
    if (pct() < 35) {
      auto claims = test::claims_for(name());
      claims.op = pct() < 30;
      claims.vip = pct() < 40;
      if (pct() < 30) claims.nick = "Nick";
      const auto token = auth::sign_jwt(claims, test::kSecret);
      return h_.received(id, R"({"action":"login","jwt":")" + token + "\"" + ext + "}");
    }
    return h_.received(id, R"({"action":"login","username":")" + name() + "\"" + ext + "}");
  }

  std::string action() {
    static const char* kStatus[] = {"online", "away", "hidden"};
    switch (pick(9)) {
      case 0:
      case 1:
        return R"({"action":"me","video":)" + std::to_string(pick(512) & ~128) + R"(,"status":")" +
               kStatus[pick(3)] + R"(","dnd":)" + (pct() < 20 ? "true" : "false") + "}";
      case 2:
        return R"({"action":"boot","username":")" + name() + "\"}";
      case 3:
        return R"({"action":"unboot","username":")" + name() + "\"}";
      case 4:
        return std::string(R"({"action":")") + (pct() < 50 ? "mute" : "unmute") +
               R"(","username":")" + name() + "\"}";
      case 5:
        return R"({"action":"block","username":")" + name() + "\"}";
      case 6:
        return R"({"action":"blocklist","usernames":[)" + names() + "]}";
      case 7:
        return R"({"action":"video-invite","usernames":[)" + names() + "]}";
      default:
        return R"({"action":"message","channel":"lobby","message":"hi"})";
    }
  }

  void absorb() {
    for (chat::ConnId id = 1; id <= kConns; ++id) {
      for (const auto& f : h_.take(id)) apply_frame(lists_[id], f);
    }
  }

  std::mt19937 rng_;
  RoomHarness h_;
  std::map<chat::ConnId, Entries> lists_;
};

}  // namespace

TEST(WhoDeltaProperty, DeltasAppliedToTheFirstListGiveTheCurrentList) {
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    RandomRoom room(seed);
    for (int step = 0; step < 150; ++step) {
      room.step();
      room.check(step);
      if (HasFatalFailure()) {
        ADD_FAILURE() << "seed " << seed;
        return;
      }
    }
  }
}
