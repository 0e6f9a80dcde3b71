#include "room_harness.hpp"

using test::RoomHarness;

namespace {

auth::Claims op_claims(const std::string& sub) {
  auto c = test::claims_for(sub);
  c.op = true;
  return c;
}

std::string say(const std::string& text) {
  return R"({"action":"message","channel":"lobby","message":")" + text + R"("})";
}

std::string me(int video) {
  return R"({"action":"me","video":)" + std::to_string(video) + "}";
}

// A room with an operator "op" (1), "alice" (2) and "bob" (3).
struct Ops : RoomHarness {
  Ops() {
    join_jwt(1, op_claims("op"));
    join(2, "alice");
    join(3, "bob");
  }
  // The text of the last ChatServer notice `id` got.
  std::string reply(chat::ConnId id = 1) {
    auto doc = protocol::parse_json(test::last_of(got(id), "error"));
    return doc && doc->HasMember("message") ? (*doc)["message"].GetString() : "";
  }
};

}  // namespace

TEST(RoomCommands, KickSignsTheTargetOutWithThePresenceForAll) {
  Ops h;
  h.send(1, say("/kick @alice"));
  EXPECT_EQ(h.reply(), "alice has been kicked from the room");
  EXPECT_EQ(h.reply(2), "You have been kicked from the chat room by op");
  EXPECT_EQ(h.actions(2).back(), "disconnect");
  EXPECT_NE(test::last_of(h.got(3), "presence").find("has been kicked from the room!"),
            std::string::npos);
  EXPECT_NE(test::last_of(h.got(2), "presence").find("has been kicked"), std::string::npos);
  EXPECT_EQ(h.room().find_user("alice"), nullptr);
  ASSERT_EQ(h.last_output().closes.size(), 1u);
  EXPECT_EQ(h.last_output().closes[0].conn, 2u);
  // Nobody got the command as a message.
  for (chat::ConnId id : {1, 2, 3}) EXPECT_EQ(test::last_of(h.got(id), "message"), "");
}

TEST(RoomCommands, KickRefusesNobodyAndOneself) {
  Ops h;
  h.send(1, say("/kick"));
  EXPECT_NE(h.reply().find("<code>/kick username</code>"), std::string::npos);  // Markdown
  h.send(1, say("/kick zed"));
  EXPECT_EQ(h.reply(), "/kick: username not found: zed");
  h.send(1, say("/kick op"));
  EXPECT_EQ(h.reply(), "/kick: did you really mean to kick yourself?");
  EXPECT_NE(h.room().find_user("op"), nullptr);
}

TEST(RoomCommands, ANonOperatorsCommandIsAPlainMessage) {
  Ops h;
  h.send(2, say("/kick bob"));
  EXPECT_NE(test::last_of(h.got(3), "message").find("/kick bob"), std::string::npos);
  EXPECT_NE(h.room().find_user("bob"), nullptr);
  h.clear();
  h.send(1, say("/notacommand hi"));  // an operator's unknown command too
  EXPECT_NE(test::last_of(h.got(3), "message").find("/notacommand hi"), std::string::npos);
  h.clear();
  h.send(1, say("/kick \\\"unterminated"));  // does not split: posted
  EXPECT_NE(test::last_of(h.got(3), "message"), "");
}

TEST(RoomCommands, BanKicksAndRefusesTheNameAtLoginUntilItExpires) {
  Ops h;
  h.send(1, say("/ban alice 2"));
  EXPECT_EQ(h.reply(), "alice has been banned from the room for 2 hours.");
  EXPECT_EQ(h.reply(2),
            "You have been banned from the chat room by op. You may come back after 2 hours.");
  EXPECT_NE(test::last_of(h.got(3), "presence").find("has been banned!"), std::string::npos);
  h.connect(9);
  h.send(9, R"({"action":"login","username":"alice"})");
  EXPECT_EQ(h.reply(9),
            "You are currently banned from entering the chat room. Chat room bans are temporary "
            "and usually last for 24 hours.<br><br>Your ban expires in: 2h0m0s");
  EXPECT_EQ(h.actions(9).back(), "disconnect");
  EXPECT_EQ(h.room().find_user("alice"), nullptr);
  h.advance(2 * 3'600'000);
  h.connect(10);
  h.send(10, R"({"action":"login","username":"alice"})");
  EXPECT_NE(h.room().find_user("alice"), nullptr);
}

TEST(RoomCommands, BansOfflineNamesWithDefaultsAndHostileHours) {
  Ops h;
  h.send(1, say("/ban carol"));  // not online: recorded all the same
  EXPECT_EQ(h.reply(), "carol has been banned from the room for 24 hours.");
  h.send(1, say("/ban dave lots"));
  EXPECT_EQ(h.reply(), "dave has been banned from the room for 24 hours.");
  h.send(1, say("/ban erin -3"));
  EXPECT_EQ(h.reply(), "erin has been banned from the room for -3 hours.");
  h.send(1, say("/ban fay 99999999999999999999999"));  // out of range: the default
  EXPECT_EQ(h.reply(), "fay has been banned from the room for 24 hours.");
  h.send(1, say("/bans"));
  const auto list = h.reply();
  EXPECT_NE(list.find("<code>carol</code> banned until"), std::string::npos);
  EXPECT_NE(list.find("(24h0m0s left)"), std::string::npos);
  EXPECT_NE(list.find("(expired)"), std::string::npos);  // erin
  h.send(1, say("/unban erin"));
  EXPECT_EQ(h.reply(), "The ban on erin has been lifted.");
  h.send(1, say("/unban erin"));
  EXPECT_NE(h.reply().find("was not found to be banned"), std::string::npos);
}

TEST(RoomCommands, AnOperatorCanBanAnotherOperatorAndThemself) {
  Ops h;
  h.join_jwt(4, op_claims("op2"));
  h.send(1, say("/ban op2 1"));
  EXPECT_EQ(h.room().find_user("op2"), nullptr);
  h.send(1, say("/ban op 1"));
  EXPECT_EQ(h.room().find_user("op"), nullptr);
  EXPECT_EQ(h.reply(), "op has been banned from the room for 1 hours.");
}

TEST(RoomCommands, NsfwMarksALiveCameraOnce) {
  Ops h;
  h.send(1, say("/nsfw"));
  EXPECT_NE(h.reply().find("Usage"), std::string::npos);  // and no crash
  h.send(1, say("/nsfw alice"));
  EXPECT_EQ(h.reply(), "/nsfw: alice's camera was not turned on.");
  h.send(2, me(1));
  h.clear();
  h.send(1, say("/nsfw alice"));
  EXPECT_EQ(h.reply(), "alice now has their camera marked as Explicit");
  EXPECT_NE(h.reply(2).find("marked as Explicit for you by @op"), std::string::npos);
  EXPECT_NE(test::last_of(h.got(2), "me").find("\"video\":3"), std::string::npos);
  EXPECT_EQ(h.room().find_user("alice")->video, 3);
  h.send(1, say("/nsfw alice"));
  EXPECT_EQ(h.reply(), "/nsfw: alice's camera was already marked as explicit.");
}

TEST(RoomCommands, CutAsksTheClientToStopItsCamera) {
  Ops h;
  h.send(1, say("/cut"));
  EXPECT_NE(h.reply().find("Usage"), std::string::npos);
  h.send(1, say("/cut bob"));
  EXPECT_EQ(h.reply(), "/cut: bob's camera was not turned on.");
  h.send(3, me(1));
  h.clear();
  h.send(1, say("/cut bob"));
  EXPECT_EQ(h.actions(3), std::vector<std::string>{"cut"});
  EXPECT_EQ(h.reply(), "bob has been told to turn their camera off.");
}

TEST(RoomCommands, OpAndDeopLastForTheConnectionOnly) {
  Ops h;
  h.send(1, say("/op alice"));
  EXPECT_EQ(h.reply(), "Operator rights have been granted to alice");
  EXPECT_TRUE(h.room().find_user("alice")->is_op());
  EXPECT_FALSE(h.room().find_user("alice")->claims);  // no JWT made up for a guest
  h.send(2, say("/kick bob"));
  EXPECT_EQ(h.room().find_user("bob"), nullptr);
  h.send(1, say("/deop alice"));
  EXPECT_EQ(h.reply(), "Operator rights have been taken from alice");
  EXPECT_FALSE(h.room().find_user("alice")->is_op());
  h.send(1, say("/op zed"));
  EXPECT_EQ(h.reply(), "/op: user zed was not found.");
}

TEST(RoomCommands, UnmuteAllClearsTheOperatorsMutes) {
  Ops h;
  h.send(1, R"({"action":"mute","username":"alice"})");
  h.send(1, R"({"action":"mute","username":"bob"})");
  h.send(1, say("/unmute-all"));
  EXPECT_EQ(h.reply(), "Your mute on 2 users has been lifted.");
  EXPECT_TRUE(h.room().find_user("op")->muted.empty());
}

TEST(RoomCommands, KickallSignsEverybodyOutQuietly) {
  Ops h;
  h.send(1, say("/kickall"));
  for (chat::ConnId id : {1, 2, 3}) {
    EXPECT_NE(h.reply(id).find("kicked everybody from the room"), std::string::npos);
    EXPECT_EQ(h.actions(id).back(), "disconnect");
    EXPECT_EQ(test::last_of(h.got(id), "presence"), "");
  }
  EXPECT_EQ(h.room().user_count(), 0u);
  EXPECT_EQ(h.last_output().closes.size(), 3u);
}

TEST(RoomCommands, ShutdownTellsEveryoneAndAsksToExit) {
  Ops h;
  h.send(1, say("/shutdown"));
  EXPECT_TRUE(h.last_output().shutdown);
  EXPECT_EQ(h.reply(3), "The chat server is going down for a reboot NOW!");
}

TEST(RoomCommands, HelpTexts) {
  Ops h;
  h.send(1, say("/help"));
  EXPECT_NE(h.reply().find("<code>/kick &lt;username&gt;</code>"), std::string::npos);
  h.send(1, say("/help-advanced"));
  EXPECT_NE(h.reply().find("<strong>dangerous</strong>"), std::string::npos);
}

TEST(RoomCommands, BansAreHandedOutForTheDatabaseAndRestoredFromIt) {
  Ops h;
  h.send(1, say("/ban carol 1"));
  ASSERT_EQ(h.last_output().ban_changes.size(), 1u);
  EXPECT_EQ(h.last_output().ban_changes[0].username, "carol");
  EXPECT_EQ(h.last_output().ban_changes[0].until_ms, h.now_ms() + 3'600'000);
  h.send(1, say("/unban carol"));
  ASSERT_EQ(h.last_output().ban_changes.size(), 1u);
  EXPECT_FALSE(h.last_output().ban_changes[0].until_ms);

  RoomHarness fresh;  // a restarted server
  fresh.room().restore_bans({{"dave", fresh.now_ms() + 60'000}});
  fresh.connect(1);
  fresh.send(1, R"({"action":"login","username":"dave"})");
  EXPECT_EQ(fresh.room().find_user("dave"), nullptr);
  EXPECT_EQ(fresh.actions(1).back(), "disconnect");
}

TEST(RoomCommands, ReconfigureAsksTheServerAndRelaysItsAnswer) {
  Ops h;
  h.send(1, say("/reconfigure"));
  EXPECT_EQ(h.last_output().reloads, std::vector<chat::ConnId>{1});
  EXPECT_EQ(h.reply(), "");  // the answer comes with ReloadDone
  h.apply(chat::ReloadDone{1, ""});
  EXPECT_EQ(h.reply(), "The server config file has been reloaded successfully!");
  h.apply(chat::ReloadDone{1, "Title: expected a string"});
  EXPECT_EQ(h.reply(), "Error reloading the server config: Title: expected a string");
  h.apply(chat::ReloadDone{42, "gone"});  // the operator left meanwhile
  EXPECT_TRUE(h.got(42).empty());
}

TEST(RoomAdminApi, BlockNowBlocksAndMutesEveryPairOnline) {
  Ops h;
  h.apply(chat::BlockNow{7, {"alice", "bob", "ghost", "alice"}});
  EXPECT_EQ(h.room().find_user("alice")->blocked, (chat::NameSet{"bob", "ghost"}));
  EXPECT_EQ(h.room().find_user("bob")->muted, (chat::NameSet{"alice", "ghost"}));
  EXPECT_EQ(h.actions(2), (std::vector<std::string>{"block", "block", "who"}));
  EXPECT_EQ(test::who_names(test::last_of(h.got(2), "who")),
            (std::vector<std::string>{"alice", "op"}));
  ASSERT_EQ(h.last_output().replies.size(), 1u);
  EXPECT_EQ(h.last_output().replies[0].req, 7u);
}

TEST(RoomAdminApi, DisconnectNowCountsTheUsersItRemoved) {
  Ops h;
  h.apply(chat::DisconnectNow{3, {"alice", "ghost"}, "", false});
  EXPECT_EQ(h.room().find_user("alice"), nullptr);
  EXPECT_NE(test::last_of(h.got(3), "presence").find("has exited the room!"), std::string::npos);
  EXPECT_EQ(h.actions(2).back(), "disconnect");
  EXPECT_NE(h.last_output().replies[0].body.find("\"Removed\": 1"), std::string::npos);
}

TEST(RoomAdminApi, AmendJwtChangesOnlyAJwtUsersClaims) {
  Ops h;
  auto amended = test::claims_for("op");
  amended.nick = "New";
  h.apply(chat::AmendJwt{1, "op", amended});
  EXPECT_EQ(h.room().find_user("op")->claims->nick, "New");
  EXPECT_FALSE(h.room().find_user("op")->is_op());  // the new claims say so
  EXPECT_EQ(h.last_output().replies[0].body,
            "{\n  \"OK\": true\n}");             // json_response adds the newline
  h.apply(chat::AmendJwt{2, "alice", amended});  // a guest: nothing to amend
  EXPECT_FALSE(h.room().find_user("alice")->claims);
  h.apply(chat::AmendJwt{3, "ghost", amended});
  EXPECT_EQ(h.last_output().replies[0].body, "");
}
