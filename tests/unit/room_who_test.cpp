#include "room_harness.hpp"

using test::RoomHarness;
using test::who_names;
using test::who_video;

TEST(RoomWho, MeStoresVideoStatusAndDndForEveryone) {
  RoomHarness h;
  h.join(1, "plain");
  h.join(2, "viewer");
  h.send(1, R"({"action":"me","video":1,"status":"custom-status","dnd":true})");
  EXPECT_EQ(
      h.got(2),
      std::vector<std::string>{
          R"({"action":"who","whoList":[{"username":"plain","status":"custom-status","video":1,"dnd":true,"loginAt":1795622587,"op":false},{"username":"viewer","status":"online","video":0,"loginAt":1795622587,"op":false}]})"});
  // An omitted field resets to its zero value.
  h.send(1, R"({"action":"me","video":1})");
  EXPECT_NE(h.got(2).back().find(R"({"username":"plain","status":"","video":1,"loginAt")"),
            std::string::npos);
}

TEST(RoomWho, OnlyOperatorsCanHide) {
  RoomHarness h;
  h.join(1, "guest");
  auto op = test::claims_for("op");
  op.op = true;
  h.join_jwt(2, op);
  h.send(1, R"({"action":"me","status":"hidden"})");
  EXPECT_EQ(h.room().find(1)->status, "away");
  h.clear();
  h.send(2, R"({"action":"me","status":"hidden"})");
  EXPECT_EQ(h.got(1).at(0),
            R"({"action":"presence","username":"op","message":"has exited the room!"})");
  EXPECT_EQ(who_names(h.got(1).at(1)), std::vector<std::string>{"guest"});
  EXPECT_EQ(who_names(h.got(2).at(1)),
            std::vector<std::string>{"guest"});  // hidden from itself too
  h.clear();
  h.send(2, R"({"action":"me","status":"online"})");
  EXPECT_EQ(h.got(1).at(0),
            R"({"action":"presence","username":"op","message":"has joined the room!"})");
}

TEST(RoomWho, InvalidStatusAndFlagsAreCleaned) {
  RoomHarness h;
  h.join(1, "u");
  h.send(1, R"({"action":"me","status":"<b>x</b>","video":1193})");  // 1193 = 1024|128|32|8|1
  EXPECT_EQ(RoomHarness::action_of(h.got(1).at(0)), "error");
  EXPECT_EQ(h.room().find(1)->status, "online");
  EXPECT_EQ(h.room().find(1)->video, 41);  // the undefined bit and Invited dropped
}

TEST(RoomWho, ModerationRulesApplyToCameras) {
  auto s = RoomHarness::make_settings();
  s.moderation_rules = {{.username = "nocam", .no_broadcast = true},
                        {.username = "red", .camera_always_nsfw = true}};
  RoomHarness h(s);
  h.join(1, "nocam");
  h.join(2, "red");
  h.clear();
  h.send(1, R"({"action":"me","video":1})");
  EXPECT_EQ(h.actions(1), (std::vector<std::string>{"cut", "error", "who"}));
  EXPECT_EQ(h.room().find(1)->video, 0);
  h.clear();
  h.send(2, R"({"action":"me","video":1})");
  EXPECT_EQ(h.actions(2), (std::vector<std::string>{"error", "who", "me"}));
  EXPECT_EQ(h.got(2).back(), R"({"action":"me","username":"red","video":3})");
}

TEST(RoomWho, JwtRulesApplyToo) {
  RoomHarness h;
  auto c = test::claims_for("redcam");
  c.rules = {"redcam"};
  h.join_jwt(1, c);
  h.send(1, R"({"action":"me","video":1})");
  EXPECT_EQ(h.room().find(1)->video, 3);
}

TEST(RoomWho, ManyJoinsInOneBatchGiveEachViewerOneList) {
  RoomHarness h;
  h.join(1, "first");
  std::vector<chat::EventBody> batch;
  for (chat::ConnId id = 2; id <= 6; ++id) {
    batch.push_back(chat::Connected{id});
    batch.push_back(
        h.received(id, R"({"action":"login","username":"u)" + std::to_string(id) + R"("})"));
  }
  h.apply_batch(std::move(batch));
  const auto acts = h.actions(1);
  EXPECT_EQ(std::count(acts.begin(), acts.end(), "who"), 1);
  EXPECT_EQ(std::count(acts.begin(), acts.end(), "presence"), 5);
  EXPECT_EQ(acts.front(), "who");  // before the first presence it describes
  EXPECT_EQ(who_names(h.got(1).front()).size(), 6u);
  for (chat::ConnId id = 2; id <= 6; ++id) {
    const auto a = h.actions(id);
    EXPECT_EQ(std::count(a.begin(), a.end(), "who"), 1) << id;
    EXPECT_EQ(a.at(0), "me");
    EXPECT_EQ(a.at(1), "who");  // in its own place in the login sequence
    EXPECT_EQ(who_names(h.got(id).at(1)).size(), 6u);
  }
}

TEST(RoomWho, ViewersWithTheSameViewShareOneFrame) {
  RoomHarness h;
  for (chat::ConnId id = 1; id <= 4; ++id) h.join(id, "u" + std::to_string(id));
  h.send(1, R"({"action":"me","video":1})");
  const auto& out = h.last_output();
  ASSERT_EQ(out.deliveries.size(), 4u);
  for (const auto& d : out.deliveries) {
    EXPECT_EQ(d.frame.buffer.get(), out.deliveries[0].frame.buffer.get());
    EXPECT_TRUE(d.snapshot);
  }
}

TEST(RoomWho, BootAndMuteHideTheCameraFromThatViewer) {
  RoomHarness h;
  h.join(1, "cam");
  h.join(2, "booted");
  h.join(3, "muted");
  h.join(4, "friend");
  h.send(1, R"({"action":"me","video":33})");
  h.send(1, R"({"action":"boot","username":"booted"})");
  h.send(1, R"({"action":"mute","username":"muted"})");
  h.clear();
  h.send(1, R"({"action":"video-invite","usernames":["friend"]})");
  EXPECT_EQ(who_video(h.got(2).at(0), "cam"), 0);
  EXPECT_EQ(who_video(h.got(3).at(0), "cam"), 0);
  EXPECT_EQ(who_video(h.got(4).at(0), "cam"), 33 | 128);
  EXPECT_EQ(who_video(h.got(1).at(0), "cam"), 33);
  h.clear();
  h.send(1, R"({"action":"unboot","username":"booted"})");
  EXPECT_EQ(who_video(h.got(2).at(0), "cam"), 33);
}

TEST(RoomWho, BootedOperatorsSeeTheCameraWithoutMutualOpen) {
  RoomHarness h;
  h.join(1, "cam");
  auto op = test::claims_for("op");
  op.op = true;
  h.join_jwt(2, op);
  h.send(1, R"({"action":"me","video":295})");
  h.clear();
  h.send(1, R"({"action":"boot","username":"op"})");
  EXPECT_EQ(
      h.got(2).at(0),
      R"({"action":"error","username":"ChatServer","message":"cam has booted you off of their camera!"})");
  EXPECT_EQ(who_video(h.got(2).at(1), "cam"), 263);
}

TEST(RoomWho, VipOnlyCamerasAreZeroToOthersAndVipFlagCanBeSecret) {
  auto s = RoomHarness::make_settings();
  s.vip.mutually_secret = true;
  RoomHarness h(s);
  auto vip = test::claims_for("vip");
  vip.vip = true;
  h.join_jwt(1, vip);
  h.join(2, "guest");
  h.send(1, R"({"action":"me","video":65})");
  EXPECT_EQ(who_video(h.got(1).back(), "vip"), 65);
  EXPECT_NE(h.got(1).back().find(R"("vip":true)"), std::string::npos);
  EXPECT_EQ(who_video(h.got(2).back(), "vip"), 0);
  EXPECT_EQ(h.got(2).back().find(R"("vip":true)"), std::string::npos);
}

TEST(RoomWho, GuestWithAVipOnlyCameraStillSeesItsOwnFlags) {
  RoomHarness h;
  h.join(1, "guest");
  h.send(1, R"({"action":"me","video":65})");
  EXPECT_EQ(who_video(h.got(1).back(), "guest"), 65);
}

TEST(RoomWho, BlockedUsersVanishFromEachOthersLists) {
  RoomHarness h;
  h.join(1, "a");
  h.join(2, "b");
  h.join(3, "c");
  h.send(1, R"({"action":"block","username":"b"})");
  EXPECT_EQ(who_names(h.got(1).back()), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(who_names(h.got(2).back()), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(who_names(h.got(3).back()), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(RoomWho, OperatorsCannotBeBlockedByDefault) {
  RoomHarness h;
  auto op = test::claims_for("op");
  op.op = true;
  h.join_jwt(1, op);
  h.join(2, "b");
  h.send(2, R"({"action":"block","username":"op"})");
  EXPECT_EQ(
      h.got(2),
      std::vector<std::string>{
          R"({"action":"error","username":"ChatServer","message":"You are not allowed to block a chat operator."})"});
  h.clear();
  h.send(2, R"({"action":"blocklist","usernames":["op"]})");
  EXPECT_EQ(who_names(h.got(2).back()), (std::vector<std::string>{"b", "op"}));
}

TEST(RoomWho, BlockingAnOperatorIsRefusedEvenWhenAdminsAreBlockable) {
  auto settings = RoomHarness::make_settings();
  settings.blockable_admins = true;
  RoomHarness h(settings);
  auto op = test::claims_for("op");
  op.op = true;
  h.join_jwt(1, op);
  h.join(2, "b");
  h.send(2, R"({"action":"block","username":"op"})");
  EXPECT_EQ(
      h.got(2),
      std::vector<std::string>{
          R"({"action":"error","username":"ChatServer","message":"You are not allowed to block a chat operator."})"});
  EXPECT_TRUE(h.room().find(2)->blocked.empty());
  // The blocklist has no such check, and with BlockableAdmins the relation holds.
  h.clear();
  h.send(2, R"({"action":"blocklist","usernames":["op"]})");
  EXPECT_EQ(who_names(h.got(2).back()), (std::vector<std::string>{"b"}));
}

TEST(RoomWho, OversizedRelationListsAreRefused) {
  RoomHarness h;
  h.join(1, "a");
  std::string names;
  for (int i = 0; i < 10'001; ++i) names += (i ? ",\"n" : "\"n") + std::to_string(i) + "\"";
  h.send(1, R"({"action":"blocklist","usernames":[)" + names + "]}");
  EXPECT_EQ(
      h.got(1),
      std::vector<std::string>{
          R"({"action":"error","username":"ChatServer","message":"That list is too long."})"});
  EXPECT_TRUE(h.room().find(1)->blocked.empty());
}

TEST(RoomWho, PingsEveryThirtySecondsWithAFreshTokenForJwtUsers) {
  RoomHarness h;
  h.join(1, "guest");
  auto c = test::claims_for("jw");
  c.rules = {"redcam", "noimage"};
  h.join_jwt(2, c);
  h.advance(29'000);
  h.apply(chat::Tick{});
  EXPECT_TRUE(h.got(1).empty());
  h.advance(1'000);
  h.apply(chat::Tick{});
  EXPECT_EQ(h.got(1), std::vector<std::string>{R"({"action":"ping"})"});
  ASSERT_EQ(h.got(2).size(), 1u);
  auto doc = protocol::parse_json(h.got(2)[0]);
  ASSERT_TRUE(doc);
  const auto token = std::string((*doc)["jwt"].GetString());
  auto claims = auth::verify_jwt(token, test::kSecret, h.now_ms() / 1000);
  ASSERT_TRUE(claims) << claims.error();
  EXPECT_EQ(claims->sub, "jw");
  EXPECT_EQ(*claims->exp, static_cast<double>(h.now_ms() / 1000 + 300));
  EXPECT_NE(
      h.got(2)[0].find(
          R"("jwtRules":{"IsNoBroadcastRule":false,"IsNoDarkVideoRule":false,"IsNoImageRule":true,"IsNoVideoRule":false,"IsRedCamRule":true})"),
      std::string::npos);
  h.clear();
  h.advance(30'000);
  h.apply(chat::Tick{});
  EXPECT_EQ(h.got(1).size(), 1u);
}

TEST(RoomWho, StatisticsCountVisibleUsersAndCameras) {
  RoomHarness h;
  h.join(1, "sa");
  h.join(2, "sb");
  auto op = test::claims_for("hidden-op");
  op.op = true;
  h.join_jwt(3, op);
  h.send(1, R"({"action":"me","video":1})");
  h.send(2, R"({"action":"me","video":3})");
  h.send(3, R"({"action":"me","video":1,"status":"hidden"})");
  h.connect(4);  // not logged in
  h.apply(chat::StatisticsQuery{7});
  ASSERT_EQ(h.last_output().replies.size(), 1u);
  EXPECT_EQ(h.last_output().replies[0].req, 7u);
  EXPECT_EQ(h.last_output().replies[0].body,
            "{\n  \"UserCount\": 2,\n  \"Usernames\": [\n    \"sa\",\n    \"sb\"\n  ],\n  "
            "\"Cameras\": {\n    \"Blue\": 1,\n    \"Red\": 1\n  }\n}");
}

TEST(RoomWho, CachedBlocklistsAreServedPerUser) {
  RoomHarness h;
  h.apply(chat::CacheBlocklist{"bl", {"x", "y"}});
  h.apply(chat::BlocklistQuery{1, "bl"});
  EXPECT_EQ(h.last_output().replies.at(0).body, R"(["x","y"])");
  h.apply(chat::BlocklistQuery{2, "unknown"});
  EXPECT_EQ(h.last_output().replies.at(0).body, "[]");
}

TEST(RoomWho, ShutdownTellsEveryone) {
  RoomHarness h;
  h.join(1, "a");
  h.connect(2);
  h.apply(chat::Shutdown{});
  const std::string notice =
      R"({"action":"error","username":"ChatServer","message":"The chat server is going down for a reboot NOW!"})";
  EXPECT_EQ(h.got(1), std::vector<std::string>{notice});
  EXPECT_EQ(h.got(2), std::vector<std::string>{notice});
  EXPECT_TRUE(h.last_output().shutdown);
}

TEST(RoomWho, RelationsChangeNothingForTheSideThatMadeThem) {
  RoomHarness h;
  h.join(1, "a");
  h.join(2, "b");
  h.send(2, R"({"action":"me","video":33})");
  h.send(1, R"({"action":"boot","username":"b"})");
  h.send(1, R"({"action":"mute","username":"b"})");
  h.send(1, R"({"action":"video-invite","usernames":["b"]})");
  h.clear();
  h.send(1, R"({"action":"me","video":1})");
  // a booted, muted and invited b: b sees a's camera off; a still sees b's as it is.
  EXPECT_EQ(who_video(h.got(1).back(), "b"), 33);
  EXPECT_EQ(who_video(h.got(2).back(), "a"), 0);
}

TEST(RoomWho, FullListsStayWithinTheBudgetNewcomersFirst) {
  auto s = RoomHarness::make_settings();
  s.who_list_bytes_per_second = 300;  // lists of three entries are ~250 bytes
  RoomHarness h(s);
  h.join(1, "a");
  h.join(2, "b");
  h.advance(10'000);  // the budget refills
  h.apply(chat::Tick{});
  h.clear();
  h.connect(3);
  h.send(3, R"({"action":"login","username":"c"})");
  // The newcomer's list comes at its place in the login sequence; the rest of
  // the second's budget (300 bytes) holds one more list, which overdraws it.
  EXPECT_EQ(h.actions(3).at(1), "who");
  EXPECT_EQ(who_names(h.got(3).at(1)), (std::vector<std::string>{"a", "b", "c"}));
  const auto lists = [&](chat::ConnId id) {
    const auto a = h.actions(id);
    return std::count(a.begin(), a.end(), "who");
  };
  EXPECT_EQ(lists(1) + lists(2), 1);
  const int64_t due = h.last_output().wake_at_ms;
  ASSERT_GT(due, h.now_ms());
  // Woken up later, the pacer sends the last stale list.
  h.advance(due - h.now_ms() + 2000);
  h.apply(chat::Tick{});
  ASSERT_EQ(lists(1), 1);
  ASSERT_EQ(lists(2), 1);
  EXPECT_EQ(who_names(test::last_of(h.got(1), "who")), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(who_names(test::last_of(h.got(2), "who")), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(h.last_output().wake_at_ms, 0);
  // A quiet room: nothing more.
  h.clear();
  h.advance(5'000);
  h.apply(chat::Tick{});
  EXPECT_TRUE(h.last_output().deliveries.empty());
}
