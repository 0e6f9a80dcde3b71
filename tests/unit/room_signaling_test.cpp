#include "room_harness.hpp"

using test::RoomHarness;

namespace {

const std::string kError = R"({"action":"error","username":"ChatServer","message":")";

std::string open(const std::string& who) {
  return R"({"action":"open","username":")" + who + R"("})";
}
std::string me(int video) {
  return R"({"action":"me","video":)" + std::to_string(video) + "}";
}
std::string sdp(const std::string& to) {
  return R"({"action":"sdp","username":")" + to +
         R"(","description":"{\"type\":\"offer\",\"sdp\":\"v=0\"}"})";
}
std::string candidate(const std::string& to) {
  return R"({"action":"candidate","username":")" + to +
         R"(","candidate":"{\"candidate\":\"c1\"}"})";
}

auth::Claims claims(const std::string& sub, bool op, bool vip) {
  auto c = test::claims_for(sub);
  c.op = op;
  c.vip = vip;
  return c;
}

// A room with a broadcaster "bc" (camera flags `video`) and a viewer "vw".
struct Cams : RoomHarness {
  explicit Cams(int video, config::Settings s = make_settings()) : RoomHarness(std::move(s)) {
    join(1, "bc");
    join(2, "vw");
    send(1, me(video));
    clear();
  }
  // The one frame the viewer got for its open: the refusal text, or "open".
  std::string try_open(chat::ConnId viewer = 2, const std::string& target = "bc") {
    send(viewer, open(target));
    auto got = take(viewer);
    clear();
    if (got.empty()) return "nothing";
    if (action_of(got.back()) == "open") return "open";
    return got.back();
  }
};

}  // namespace

TEST(RoomSignaling, OpenRingsTheBroadcasterWithTheSameSecret) {
  Cams h(1);
  h.send(2, open("bc"));
  ASSERT_EQ(h.got(2).size(), 1u);
  ASSERT_EQ(h.got(1).size(), 1u);
  auto viewer = protocol::parse_json(h.got(2)[0]);
  auto target = protocol::parse_json(h.got(1)[0]);
  EXPECT_EQ(std::string((*viewer)["action"].GetString()), "open");
  EXPECT_EQ(std::string((*viewer)["username"].GetString()), "bc");
  EXPECT_EQ(std::string((*target)["action"].GetString()), "ring");
  EXPECT_EQ(std::string((*target)["username"].GetString()), "vw");
  const std::string secret = (*viewer)["openSecret"].GetString();
  EXPECT_EQ(secret.size(), 16u);
  EXPECT_EQ(secret, std::string((*target)["openSecret"].GetString()));
}

TEST(RoomSignaling, RefusalsUseTheOriginalsTexts) {
  {
    Cams h(0);
    EXPECT_EQ(h.try_open(),
              kError + R"(Could not open that video: Their video is not currently enabled."})");
    EXPECT_EQ(h.try_open(2, "ghost"),
              kError + R"(Could not open that video: ghost appears to be offline."})");
  }
  {
    Cams h(1 | 16);  // mutual required
    EXPECT_EQ(
        h.try_open(),
        kError +
            R"(Could not open that video: bc has requested that you should share your own camera too before opening theirs."})");
    h.send(1, R"({"action":"video-invite","usernames":["vw"]})");
    EXPECT_EQ(h.try_open(), "open");
  }
  {
    Cams h(1 | 16);
    h.send(2, me(1));
    EXPECT_EQ(h.try_open(), "open");
  }
}

TEST(RoomSignaling, VipOnlyCamerasOpenForVipsOperatorsAndInvitees) {
  Cams h(1 | 64);
  EXPECT_EQ(
      h.try_open(),
      kError + R"(Could not open that video: You do not have permission to view that camera."})");
  h.join_jwt(3, claims("vip", false, true));
  h.join_jwt(4, claims("op", true, false));
  EXPECT_EQ(h.try_open(3), "open");
  EXPECT_EQ(h.try_open(4), "open");
  h.send(1, R"({"action":"video-invite","usernames":["vw"]})");
  EXPECT_EQ(h.try_open(2), "open");
}

TEST(RoomSignaling, BootMuteAndBlockRefuseTheViewerButNotOperators) {
  for (const std::string relation : {"boot", "mute", "block"}) {
    Cams h(1);
    h.join_jwt(3, claims("op", true, false));
    h.send(1, R"({"action":")" + relation + R"(","username":"vw"})");
    h.clear();
    EXPECT_EQ(
        h.try_open(),
        kError + R"(Could not open that video: You do not have permission to view that camera."})")
        << relation;
  }
  // The viewer's own block counts too.
  Cams h(1);
  h.send(2, R"({"action":"block","username":"bc"})");
  EXPECT_NE(h.try_open().find("You do not have permission"), std::string::npos);
}

TEST(RoomSignaling, OperatorsAreToldTheyWillNotBeNoticed) {
  Cams h(1);
  h.join_jwt(3, claims("op", true, false));
  h.send(1, R"({"action":"boot","username":"op"})");
  h.clear();
  h.send(3, open("bc"));
  ASSERT_EQ(h.actions(3), (std::vector<std::string>{"error", "open"}));
  EXPECT_EQ(
      h.got(3)[0],
      kError +
          R"(Note: bc had booted you off their camera before, and won't be notified of your watch."})");
  EXPECT_EQ(h.actions(1), std::vector<std::string>{"ring"});
}

TEST(RoomSignaling, NoVideoRulesRefuseWatchingNoBroadcastDoesNot) {
  auto s = RoomHarness::make_settings();
  s.moderation_rules = {{.username = "vw", .no_video = true}};
  Cams h(1, s);
  EXPECT_EQ(h.try_open(), kError + s.strings.mod_rule_error_no_video + R"("})");
  auto nb = test::claims_for("nb");
  nb.rules = {"nobroadcast"};
  h.join_jwt(3, nb);
  EXPECT_EQ(h.try_open(3), "open");
  auto nv = test::claims_for("nv");
  nv.rules = {"novideo"};
  h.join_jwt(4, nv);
  EXPECT_NE(h.try_open(4).find("watch webcams"), std::string::npos);
}

TEST(RoomSignaling, ExplicitCameraPreferencesAreEnforced) {
  Cams h(1 | 2);     // an explicit camera
  h.send(2, me(8));  // the viewer prefers non-explicit
  EXPECT_NE(h.try_open().find("marked Explicit and you have chosen not to see"), std::string::npos);
  Cams g(1 | 8);  // the broadcaster prefers non-explicit viewers
  g.send(2, me(1 | 2));
  EXPECT_NE(g.try_open().find("prefers not to be watched by an Explicit camera"),
            std::string::npos);
  g.send(2, me(1));
  EXPECT_EQ(g.try_open(), "open");
}

TEST(RoomSignaling, AFloodOfOpensIsSlowedDown) {
  Cams h(1);
  int opened = 0;
  for (int i = 0; i < 30; ++i) opened += h.try_open() == "open";
  EXPECT_EQ(opened, 20);
  EXPECT_EQ(h.try_open(),
            kError + R"(You are opening cameras too quickly: please wait a moment."})");
  h.advance(1'000);
  EXPECT_EQ(h.try_open(), "open");
}

TEST(RoomSignaling, SdpAndCandidatesAreRelayedWithinASessionOnly) {
  Cams h(1);
  h.join(3, "other");
  h.send(2, sdp("bc"));  // no session yet
  h.send(3, candidate("bc"));
  EXPECT_TRUE(h.got(1).empty());
  h.try_open();
  h.send(2, sdp("bc"));
  h.send(1, candidate("vw"));
  h.send(3, sdp("bc"));  // still not a party
  EXPECT_EQ(
      h.got(1),
      std::vector<std::string>{
          R"({"action":"sdp","username":"vw","description":"{\"type\":\"offer\",\"sdp\":\"v=0\"}"})"});
  EXPECT_EQ(h.got(2),
            std::vector<std::string>{
                R"({"action":"candidate","username":"bc","candidate":"{\"candidate\":\"c1\"}"})"});
  EXPECT_TRUE(h.got(3).empty());
}

TEST(RoomSignaling, ABootOrBlockEndsTheSession) {
  for (const std::string relation : {"boot", "block", "mute"}) {
    Cams h(1);
    h.try_open();
    h.send(1, R"({"action":")" + relation + R"(","username":"vw"})");
    h.clear();
    h.send(2, candidate("bc"));
    h.send(1, candidate("vw"));
    EXPECT_TRUE(h.got(1).empty()) << relation;
    EXPECT_TRUE(h.got(2).empty()) << relation;
  }
}

TEST(RoomSignaling, SessionsEndWithTheConnection) {
  Cams h(1);
  h.try_open();
  h.disconnect(2);
  EXPECT_TRUE(h.room().find(1)->peers.empty());
  h.join(3, "vw");  // the same name, a new connection: no session
  h.clear();
  h.send(3, sdp("bc"));
  EXPECT_TRUE(h.got(1).empty());
}

TEST(RoomSignaling, OversizedSignalingIsRefused) {
  Cams h(1);
  h.try_open();
  h.send(2,
         R"({"action":"sdp","username":"bc","description":")" + std::string(70'000, 'x') + R"("})");
  EXPECT_EQ(h.got(2),
            std::vector<std::string>{kError + R"(That WebRTC message is too large to relay."})"});
  EXPECT_TRUE(h.got(1).empty());
}

TEST(RoomSignaling, WatchNoticesGoToTheBroadcasterOfASession) {
  Cams h(1);
  h.send(2, R"({"action":"watch","username":"bc"})");
  EXPECT_TRUE(h.got(1).empty());
  h.try_open();
  h.send(2, R"({"action":"watch","username":"bc"})");
  h.send(2, R"({"action":"unwatch","username":"bc"})");
  EXPECT_EQ(h.got(1), (std::vector<std::string>{R"({"action":"watch","username":"vw"})",
                                                R"({"action":"unwatch","username":"vw"})"}));
  EXPECT_TRUE(h.got(2).empty());
}

TEST(RoomSignaling, NoImageRulesRefusePictures) {
  auto s = RoomHarness::make_settings();
  s.moderation_rules = {{.username = "noimg", .no_image = true}};
  RoomHarness h(s);
  h.join(1, "noimg");
  auto c = test::claims_for("jwtnoimg");
  c.rules = {"noimage"};
  h.join_jwt(2, c);
  h.join(3, "watcher");
  const std::string file =
      R"({"action":"file","channel":"lobby","message":"a.png","bytes":"iVBORw=="})";
  for (chat::ConnId id : {1, 2}) {
    h.send(id, file);
    EXPECT_EQ(h.got(id),
              std::vector<std::string>{kError + s.strings.mod_rule_error_no_image + R"("})"});
  }
  EXPECT_TRUE(h.got(3).empty());
}
