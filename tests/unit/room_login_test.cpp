#include "room_harness.hpp"

using test::RoomHarness;

TEST(RoomLogin, GuestGetsMeWhoEchoPresenceAndWelcomes) {
  RoomHarness h;
  h.connect(1);
  h.send(1, R"({"action":"login","username":"alice"})");
  const auto& f = h.got(1);
  ASSERT_EQ(f.size(), 8u);
  EXPECT_EQ(f[0], R"({"action":"me","username":"alice"})");
  EXPECT_EQ(
      f[1],
      R"({"action":"who","whoList":[{"username":"alice","status":"online","video":0,"loginAt":1795622587,"op":false}]})");
  EXPECT_EQ(f[2], R"({"action":"echo"})");
  EXPECT_EQ(f[3], R"({"action":"presence","username":"alice","message":"has joined the room!"})");
  EXPECT_EQ(
      f[4],
      R"({"action":"error","channel":"lobby","username":"ChatServer","message":"\u003cp\u003eWelcome to the chat server!\u003c/p\u003e"})");
  EXPECT_EQ(
      f[5],
      R"({"action":"error","channel":"lobby","username":"ChatServer","message":"\u003cp\u003ePlease follow the basic rules:\u003c/p\u003e\n\u003col\u003e\n\u003cli\u003eHave fun\u003c/li\u003e\n\u003cli\u003eBe kind\u003c/li\u003e\n\u003c/ol\u003e"})");
  EXPECT_EQ(test::RoomHarness::action_of(f[6]), "error");
  EXPECT_NE(f[7].find(R"("channel":"vip")"), std::string::npos);
}

TEST(RoomLogin, OthersGetTheWhoListBeforeThePresence) {
  RoomHarness h;
  h.join(1, "alice");
  h.connect(2);
  h.send(2, R"({"action":"login","username":"bob"})");
  EXPECT_EQ(h.actions(1), (std::vector<std::string>{"who", "presence"}));
  EXPECT_EQ(test::who_names(h.got(1)[0]), (std::vector<std::string>{"alice", "bob"}));
}

TEST(RoomLogin, TakenNamesGetANumberAndEmptyIsAnonymous) {
  RoomHarness h;
  h.join(1, "alice");
  h.join(2, "alice");
  h.join(3, "alice");
  h.join(4, "Alice");
  h.join(5, "");
  h.join(6, "   padded  ");
  EXPECT_EQ(h.room().find(2)->username, "alice 2");
  EXPECT_EQ(h.room().find(3)->username, "alice 3");
  EXPECT_EQ(h.room().find(4)->username, "Alice");
  EXPECT_EQ(h.room().find(5)->username, "anonymous");
  EXPECT_EQ(h.room().find(6)->username, "padded");
}

TEST(RoomLogin, HostileUsernamesAreRefusedWithAReason) {
  const std::pair<std::string, std::string> cases[] = {
      {R"(a\u0007b)", "control or invisible"},   {R"(evil\u202Eman)", "control or invisible"},
      {"<script>x</script>", "may not contain"}, {"@bob", "may not start with @"},
      {std::string(65, 'x'), "too long"},        {"chatserver", "reserved"},
  };
  for (const auto& [name, reason] : cases) {
    RoomHarness h;
    h.connect(1);
    h.send(1, R"({"action":"login","username":")" + name + R"("})");
    ASSERT_EQ(h.got(1).size(), 1u) << name;
    EXPECT_NE(h.got(1)[0].find(reason), std::string::npos) << h.got(1)[0];
    EXPECT_FALSE(h.room().find(1)->authenticated);
  }
}

TEST(RoomLogin, ASecondLoginOnTheSameConnectionIsRefused) {
  RoomHarness h;
  h.join(1, "alice");
  h.send(1, R"({"action":"login","username":"alice"})");
  EXPECT_EQ(
      h.got(1),
      (std::vector<std::string>{
          R"({"action":"error","username":"ChatServer","message":"You are already logged in."})"}));
  EXPECT_EQ(h.room().find(1)->username, "alice");
}

TEST(RoomLogin, JwtSubjectWinsOverTheTypedName) {
  RoomHarness h;
  auto claims = test::claims_for("jw");
  claims.nick = "Nick J";
  claims.op = true;
  claims.vip = true;
  claims.img = "/av.png";
  claims.url = "/u/jw";
  claims.emoji = "🙂";
  claims.gender = "f";
  h.connect(1);
  h.send(1, R"({"action":"login","username":"other","jwt":")" +
                auth::sign_jwt(claims, test::kSecret) + R"("})");
  EXPECT_EQ(h.got(1)[0], R"({"action":"me","username":"jw"})");
  EXPECT_EQ(
      h.got(1)[1],
      R"({"action":"who","whoList":[{"username":"jw","nickname":"Nick J","status":"online","video":0,"loginAt":1795622587,"op":true,"vip":true,"avatar":"/av.png","profileURL":"/u/jw","emoji":"🙂","gender":"f"}]})");
}

TEST(RoomLogin, InvalidTokensAreRefusedAndTheConnectionMayRetry) {
  RoomHarness h;
  h.connect(1);
  auto expired = test::claims_for("jw");
  expired.exp = static_cast<double>(h.now_ms() / 1000 - 10);
  for (const auto& token : {std::string("garbage"), auth::sign_jwt(test::claims_for("jw"), "wrong"),
                            auth::sign_jwt(expired, test::kSecret)}) {
    h.send(1, R"({"action":"login","jwt":")" + token + R"("})");
    EXPECT_EQ(
        h.take(1),
        (std::vector<std::string>{
            R"({"action":"error","username":"ChatServer","message":"Your authentication has expired. Please go back and launch the chat room again."})"}));
  }
  h.send(1, R"({"action":"login","jwt":")" + auth::sign_jwt(test::claims_for("jw"), test::kSecret) +
                R"("})");
  EXPECT_EQ(h.room().find(1)->username, "jw");
}

TEST(RoomLogin, NoTokenIsAcceptedWhileTheSecretIsEmpty) {
  auto s = RoomHarness::make_settings();
  s.jwt.secret_key = "";
  RoomHarness h(s);
  h.connect(1);
  auto forged = test::claims_for("root");
  forged.op = true;
  h.send(1, R"({"action":"login","jwt":")" + auth::sign_jwt(forged, "") + R"("})");
  EXPECT_EQ(test::RoomHarness::action_of(h.got(1).at(0)), "error");
  EXPECT_FALSE(h.room().find(1)->authenticated);
}

TEST(RoomLogin, StrictModeRequiresAToken) {
  auto s = RoomHarness::make_settings();
  s.jwt.enabled = true;
  RoomHarness h(s);
  h.connect(1);
  h.send(1, R"({"action":"login","username":"guest"})");
  EXPECT_EQ(
      h.take(1),
      (std::vector<std::string>{
          R"({"action":"error","username":"ChatServer","message":"Server side authentication is required. Please go back and launch the chat room from your logged-in account."})"}));
  h.send(1, R"({"action":"login","username":"guest","jwt":""})");
  EXPECT_EQ(h.take(1).size(), 1u);
  EXPECT_FALSE(h.room().find(1)->authenticated);
}

TEST(RoomLogin, NonStrictModeLetsGuestsIn) {
  auto s = RoomHarness::make_settings();
  s.jwt.enabled = true;
  s.jwt.strict = false;
  RoomHarness h(s);
  h.join(1, "guest");
  EXPECT_TRUE(h.room().find(1)->authenticated);
}

TEST(RoomLogin, JwtLoginSignsOutTheOldHolderWithoutAnExitNotice) {
  RoomHarness h;
  h.join(1, "jw");  // a guest took the name
  h.join(3, "watcher");
  h.connect(2);
  h.send(2, R"({"action":"login","jwt":")" + auth::sign_jwt(test::claims_for("jw"), test::kSecret) +
                R"("})");
  EXPECT_EQ(
      h.got(1),
      (std::vector<std::string>{
          R"({"action":"error","username":"ChatServer","message":"You have been signed out of chat because you logged in from another location."})",
          R"({"action":"disconnect"})"}));
  EXPECT_EQ(h.room().find(2)->username, "jw");
  EXPECT_FALSE(h.room().find(1)->authenticated);
  EXPECT_EQ(h.actions(3), (std::vector<std::string>{"who", "presence"}));
  EXPECT_NE(h.got(3)[1].find("has joined"), std::string::npos);
  // The old socket is closed by the server shortly after.
  ASSERT_EQ(h.last_output().closes.size(), 1u);
  EXPECT_EQ(h.last_output().closes[0].conn, 1u);
  EXPECT_GT(h.last_output().closes[0].delay_ms, 0);
  h.clear();
  h.disconnect(1);
  EXPECT_TRUE(h.got(3).empty());
}

TEST(RoomLogin, DisconnectAnnouncesTheExitThenTheWhoList) {
  RoomHarness h;
  h.join(1, "alice");
  h.join(2, "bob");
  h.disconnect(2);
  EXPECT_EQ(h.got(1).at(0),
            R"({"action":"presence","username":"bob","message":"has exited the room!"})");
  EXPECT_EQ(test::who_names(h.got(1).at(1)), std::vector<std::string>{"alice"});
  EXPECT_EQ(h.room().user_count(), 1u);
}

TEST(RoomLogin, PresenceIsQuietRightAfterStart) {
  RoomHarness h(RoomHarness::make_settings(), 120'000);
  h.join(1, "alice");
  h.connect(2);
  h.send(2, R"({"action":"login","username":"bob"})");
  EXPECT_EQ(h.actions(1), std::vector<std::string>{"who"});
  h.advance(61'000);
  h.disconnect(2);
  EXPECT_EQ(h.actions(1), (std::vector<std::string>{"who", "presence", "who"}));
}

TEST(RoomLogin, JoinNoticesPastTheirBudgetAreSkipped) {
  // Ten deliveries a second: notices to 1, 2, 3 and 4 users use them up.
  RoomHarness h(RoomHarness::make_settings(), 0, 10);
  for (chat::ConnId id = 1; id <= 5; ++id) h.join(id, "u" + std::to_string(id));
  h.connect(6);
  h.send(6, R"({"action":"login","username":"u6"})");
  const auto presences = [&](chat::ConnId id) {
    const auto a = h.actions(id);
    return std::count(a.begin(), a.end(), "presence");
  };
  EXPECT_EQ(presences(1), 0);  // skipped, but the who list shows the newcomer
  EXPECT_EQ(test::who_names(test::last_of(h.got(1), "who")).size(), 6u);
  h.clear();
  h.advance(1000);  // refilled
  h.disconnect(6);
  EXPECT_EQ(presences(1), 1);
}

TEST(RoomLogin, SettingsSentBeforeLoginAreKept) {
  RoomHarness h;
  h.join(1, "alice");
  h.connect(2);
  h.send(2, R"({"action":"me","video":1,"status":"away"})");
  h.send(2, R"({"action":"mute","username":"carol"})");
  h.send(2, R"({"action":"blocklist","usernames":["troll"]})");
  EXPECT_TRUE(h.got(1).empty());  // nothing reaches others before login
  h.send(2, R"({"action":"login","username":"bob"})");
  const auto* bob = h.room().find(2);
  EXPECT_EQ(bob->video, 1);
  EXPECT_EQ(bob->status, "away");
  EXPECT_TRUE(bob->muted.contains("carol"));
  EXPECT_TRUE(bob->blocked.contains("troll"));
  EXPECT_EQ(test::who_video(h.got(1)[0], "bob"), 1);
}

TEST(RoomLogin, ActionsThatReachOthersNeedALogin) {
  RoomHarness h;
  h.join(1, "alice");
  h.connect(2);
  for (const char* json :
       {R"({"action":"message","channel":"lobby","message":"hi"})",
        R"({"action":"react","msgID":1,"message":"x"})", R"({"action":"takeback","msgID":1})",
        R"({"action":"typing","channel":"@alice"})", R"({"action":"open","username":"alice"})"}) {
    h.send(2, json);
    EXPECT_EQ(
        h.take(2),
        (std::vector<std::string>{
            R"({"action":"error","username":"ChatServer","message":"You must log in first."})"}))
        << json;
  }
  EXPECT_TRUE(h.got(1).empty());
}
