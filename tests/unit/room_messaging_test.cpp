#include "room_harness.hpp"
#include "util/local_time.hpp"

using test::RoomHarness;

namespace {
std::string msg(const std::string& channel, const std::string& text) {
  return R"({"action":"message","channel":")" + channel + R"(","message":")" + text + R"("})";
}
const std::string kErrorPrefix = R"({"action":"error","username":"ChatServer","message":")";
}  // namespace

TEST(RoomMessaging, PublicMessageReachesEveryoneWithTheStartTimeIds) {
  RoomHarness h;
  h.join(1, "ma");
  h.join(2, "mb");
  h.send(1, msg("lobby", "Hello *world*"));
  const std::string expected =
      R"({"action":"message","channel":"lobby","username":"ma","message":"\u003cp\u003eHello \u003cem\u003eworld\u003c/em\u003e\u003c/p\u003e","msgID":1795622528})";
  EXPECT_EQ(h.got(1), std::vector<std::string>{expected});
  EXPECT_EQ(h.got(2), std::vector<std::string>{expected});
  h.send(2, msg("offtopic", "second"));
  EXPECT_NE(h.got(1).back().find(R"("msgID":1795622529)"), std::string::npos);
}

TEST(RoomMessaging, BlankTextIsDroppedSilently) {
  RoomHarness h;
  h.join(1, "ma");
  h.send(1, msg("lobby", "   "));
  EXPECT_TRUE(h.got(1).empty());
}

TEST(RoomMessaging, UnknownChannelsAreRejected) {
  RoomHarness h;
  h.join(1, "ma");
  h.join(2, "mb");
  h.send(1, msg("nochan", "hi"));
  EXPECT_EQ(h.got(1),
            std::vector<std::string>{
                kErrorPrefix +
                R"(Could not post your message: there is no channel named \"nochan\"."})"});
  EXPECT_TRUE(h.got(2).empty());
}

TEST(RoomMessaging, VipChannelIsForVipsAndOperators) {
  RoomHarness h;
  h.join(1, "guest");
  auto vip = test::claims_for("vip");
  vip.vip = true;
  h.join_jwt(2, vip);
  auto op = test::claims_for("op");
  op.op = true;
  h.join_jwt(3, op);
  h.send(1, msg("vip", "let me in"));
  EXPECT_EQ(RoomHarness::action_of(h.got(1).at(0)), "error");
  EXPECT_TRUE(h.got(2).empty());
  h.clear();
  h.send(2, msg("vip", "members only"));
  EXPECT_TRUE(h.got(1).empty());
  EXPECT_EQ(h.actions(2), std::vector<std::string>{"message"});
  EXPECT_EQ(h.actions(3), std::vector<std::string>{"message"});
}

TEST(RoomMessaging, HtmlIsSanitizedAndLinksAreNofollow) {
  RoomHarness h;
  h.join(1, "ma");
  h.send(1,
         msg("lobby",
             "<b>bold</b> <script>alert(1)</script> https://example.com [x](javascript:alert(1))"));
  const auto& f = h.got(1).at(0);
  EXPECT_NE(f.find(R"(\u003cb\u003ebold\u003c/b\u003e)"), std::string::npos) << f;
  EXPECT_EQ(f.find(R"(\u003cscript)"), std::string::npos) << f;
  EXPECT_NE(f.find(R"(\u0026lt;script\u0026gt;)"), std::string::npos) << f;
  EXPECT_NE(f.find(R"(\u003ca rel=\"nofollow\" href=\"https://example.com\")"), std::string::npos)
      << f;
  EXPECT_EQ(f.find("javascript:"), std::string::npos) << f;
}

TEST(RoomMessaging, YoutubeLinksGetAPlayer) {
  RoomHarness h;
  h.join(1, "ma");
  h.send(1, msg("lobby", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"));
  EXPECT_NE(h.got(1).at(0).find("https://www.youtube.com/embed/dQw4w9WgXcQ"), std::string::npos);
}

TEST(RoomMessaging, DirectMessageEchoesToTheSenderAndReachesTheTarget) {
  RoomHarness h;
  h.join(1, "ma");
  h.join(2, "mb");
  h.join(3, "other");
  h.send(1, msg("@mb", "dm hi"));
  EXPECT_EQ(
      h.got(1),
      std::vector<std::string>{
          R"({"action":"message","channel":"@mb","username":"ma","message":"\u003cp\u003edm hi\u003c/p\u003e","msgID":1795622528})"});
  EXPECT_EQ(
      h.got(2),
      std::vector<std::string>{
          R"({"action":"message","channel":"@ma","username":"ma","message":"\u003cp\u003edm hi\u003c/p\u003e","msgID":1795622528})"});
  EXPECT_TRUE(h.got(3).empty());
}

TEST(RoomMessaging, DirectMessageToSomeoneOffline) {
  RoomHarness h;
  h.join(1, "ma");
  h.send(1, msg("@ghost", "dm to offline"));
  ASSERT_EQ(h.got(1).size(), 2u);
  EXPECT_EQ(RoomHarness::action_of(h.got(1)[0]), "message");
  EXPECT_EQ(h.got(1)[1],
            kErrorPrefix + R"(Could not deliver your message: @ghost appears not to be online."})");
}

TEST(RoomMessaging, MutesAndBlocksStopDirectMessages) {
  RoomHarness h;
  h.join(1, "ma");
  h.join(2, "mb");
  h.send(2, R"({"action":"mute","username":"ma"})");
  h.clear();
  h.send(1, msg("@mb", "muted"));
  EXPECT_EQ(h.actions(1), std::vector<std::string>{"message"});
  EXPECT_TRUE(h.got(2).empty());
  h.clear();
  h.send(2, msg("@ma", "you are muted"));
  EXPECT_EQ(h.got(2).back(),
            kErrorPrefix + R"(You have muted ma and so your message has not been sent."})");
  EXPECT_TRUE(h.got(1).empty());

  h.join(3, "mc");
  h.send(3, R"({"action":"block","username":"ma"})");
  h.clear();
  h.send(1, msg("@mc", "blocked"));
  EXPECT_EQ(h.actions(1), std::vector<std::string>{"message"});
  EXPECT_TRUE(h.got(3).empty());
}

TEST(RoomMessaging, OperatorsCanMessageUsersWhoMutedThem) {
  RoomHarness h;
  auto op = test::claims_for("op");
  op.op = true;
  h.join_jwt(1, op);
  h.join(2, "mb");
  h.send(2, R"({"action":"mute","username":"op"})");
  h.clear();
  h.send(1, msg("@mb", "hello from op"));
  EXPECT_EQ(h.actions(2), std::vector<std::string>{"message"});
}

TEST(RoomMessaging, MutedAndBlockedUsersPublicMessagesAreNotDelivered) {
  RoomHarness h;
  h.join(1, "ma");
  h.join(2, "mb");
  h.join(3, "mc");
  h.send(2, R"({"action":"mute","username":"ma"})");
  h.send(3, R"({"action":"block","username":"ma"})");
  h.clear();
  h.send(1, msg("lobby", "anyone?"));
  EXPECT_EQ(h.actions(1), std::vector<std::string>{"message"});
  EXPECT_TRUE(h.got(2).empty());
  EXPECT_TRUE(h.got(3).empty());
}

TEST(RoomMessaging, EchoReplaysRecentHistoryToANewcomer) {
  RoomHarness h;
  h.join(1, "ma");
  h.send(1, msg("lobby", "one"));
  h.send(1, msg("offtopic", "not stored"));  // offtopic keeps no history by default
  h.send(1, msg("lobby", "two"));
  h.connect(2);
  h.send(2, R"({"action":"login","username":"mb"})");
  const auto echo = test::last_of(h.got(2), "echo");
  EXPECT_EQ(
      echo,
      R"({"action":"echo","messages":[{"action":"message","channel":"lobby","username":"ma","message":"\u003cp\u003eone\u003c/p\u003e","msgID":1795622528,"timestamp":")" +
          util::rfc3339_local(h.now_ms() / 1000) +
          R"("},{"action":"message","channel":"lobby","username":"ma","message":"\u003cp\u003etwo\u003c/p\u003e","msgID":1795622530,"timestamp":")" +
          util::rfc3339_local(h.now_ms() / 1000) + R"("}]})");
}

TEST(RoomMessaging, EchoSkipsMutedUsersAndTakenBackMessages) {
  RoomHarness h;
  h.join(1, "ma");
  h.join(2, "mb");
  h.send(1, msg("lobby", "from ma"));
  h.send(2, msg("lobby", "from mb"));
  h.send(2, msg("lobby", "taken back"));
  h.send(2, R"({"action":"takeback","msgID":1795622530})");
  h.connect(3);
  h.send(3, R"({"action":"mute","username":"ma"})");
  h.send(3, R"({"action":"login","username":"mc"})");
  const auto echo = test::last_of(h.got(3), "echo");
  EXPECT_EQ(echo.find("from ma"), std::string::npos);
  EXPECT_NE(echo.find("from mb"), std::string::npos);
  EXPECT_EQ(echo.find("taken back"), std::string::npos);
}

TEST(RoomMessaging, TakebackOfYourOwnMessageReachesEveryone) {
  RoomHarness h;
  h.join(1, "ma");
  h.join(2, "mb");
  h.send(1, msg("lobby", "oops"));
  h.clear();
  h.send(2, R"({"action":"takeback","msgID":1795622528})");
  EXPECT_EQ(h.got(2),
            std::vector<std::string>{kErrorPrefix + R"(That is not your message to take back."})"});
  EXPECT_TRUE(h.got(1).empty());
  h.send(1, R"({"action":"takeback","msgID":1795622528})");
  EXPECT_EQ(h.got(1), std::vector<std::string>{R"({"action":"takeback","msgID":1795622528})"});
  EXPECT_EQ(h.got(2).back(), R"({"action":"takeback","msgID":1795622528})");
}

TEST(RoomMessaging, OperatorsCanTakeBackAnyMessage) {
  RoomHarness h;
  h.join(1, "ma");
  auto op = test::claims_for("op");
  op.op = true;
  h.join_jwt(2, op);
  h.send(1, msg("lobby", "spam"));
  h.clear();
  h.send(2, R"({"action":"takeback","msgID":1795622528})");
  EXPECT_EQ(h.got(1), std::vector<std::string>{R"({"action":"takeback","msgID":1795622528})"});
}

TEST(RoomMessaging, ReactionsAreBroadcastButDmReactionsStayPrivate) {
  RoomHarness h;
  h.join(1, "ma");
  h.join(2, "mb");
  h.join(3, "mc");
  h.send(1, msg("lobby", "public"));
  h.send(1, msg("@mb", "private"));
  h.clear();
  h.send(2, R"({"action":"react","msgID":1795622528,"message":"❤️"})");
  const std::string pub =
      R"({"action":"react","username":"mb","message":"❤️","msgID":1795622528})";
  EXPECT_EQ(h.got(1), std::vector<std::string>{pub});
  EXPECT_EQ(h.got(3), std::vector<std::string>{pub});
  h.clear();
  h.send(2, R"({"action":"react","msgID":1795622529,"message":"👍"})");
  EXPECT_EQ(h.actions(1), std::vector<std::string>{"react"});
  EXPECT_EQ(h.actions(2), std::vector<std::string>{"react"});
  EXPECT_TRUE(h.got(3).empty());
}

TEST(RoomMessaging, ReactionAndTakebackOfADmToOneselfArriveOnce) {
  RoomHarness h;
  h.join(1, "ma");
  h.join(2, "mb");
  h.send(1, msg("@ma", "note to self"));
  h.clear();
  // A client toggles a reaction it sees twice back off: one frame only.
  h.send(1, R"({"action":"react","msgID":1795622528,"message":"👍"})");
  EXPECT_EQ(h.got(1),
            std::vector<std::string>{
                R"({"action":"react","username":"ma","message":"👍","msgID":1795622528})"});
  EXPECT_TRUE(h.got(2).empty());
  h.clear();
  h.send(1, R"({"action":"takeback","msgID":1795622528})");
  EXPECT_EQ(h.got(1), std::vector<std::string>{R"({"action":"takeback","msgID":1795622528})"});
  EXPECT_TRUE(h.got(2).empty());
}

TEST(RoomMessaging, OversizedReactionsAreRefused) {
  RoomHarness h;
  h.join(1, "ma");
  h.join(2, "mb");
  h.send(1, R"({"action":"react","msgID":5,"message":")" + std::string(33, 'x') + R"("})");
  EXPECT_EQ(RoomHarness::action_of(h.got(1).at(0)), "error");
  EXPECT_TRUE(h.got(2).empty());
}

TEST(RoomMessaging, TypingGoesToTheDmPartnerOnly) {
  RoomHarness h;
  h.join(1, "ma");
  h.join(2, "mb");
  h.join(3, "mc");
  h.send(1, R"({"action":"typing","channel":"@mb"})");
  EXPECT_EQ(h.got(2),
            std::vector<std::string>{R"({"action":"typing","channel":"@ma","username":"ma"})"});
  EXPECT_TRUE(h.got(1).empty());
  EXPECT_TRUE(h.got(3).empty());
}

TEST(RoomMessaging, BadFramesGetAClearError) {
  RoomHarness h;
  h.join(1, "ma");
  h.join(2, "mb");
  const std::pair<const char*, const char*> cases[] = {
      {"not json", "not valid JSON"},
      {"[1,2]", "expected a JSON object"},
      {R"({"action":"message","channel":5})", R"(\"channel\" must be a string)"},
      {R"({"action":"takeback","msgID":"x"})", R"(\"msgID\" must be an integer)"},
      {R"({"action":"dance"})", "Unsupported message type: dance"},
      {R"({"message":"no action"})", "Unsupported message type: "},
  };
  for (const auto& [json, reason] : cases) {
    h.send(1, json);
    auto got = h.take(1);
    ASSERT_EQ(got.size(), 1u) << json;
    EXPECT_NE(got[0].find(reason), std::string::npos) << got[0];
  }
  EXPECT_TRUE(h.got(2).empty());
  h.send(1, msg("lobby", "still fine"));
  EXPECT_EQ(h.actions(2), std::vector<std::string>{"message"});
}

TEST(RoomMessaging, FieldNamesMatchCaseInsensitively) {
  RoomHarness h;
  h.join(1, "ma");
  h.send(1, R"({"Action":"message","Channel":"lobby","MESSAGE":"hi"})");
  EXPECT_EQ(h.actions(1), std::vector<std::string>{"message"});
}
