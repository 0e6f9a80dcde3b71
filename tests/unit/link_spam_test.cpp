#include <gtest/gtest.h>

#include "chat/link_spam.hpp"
#include "room_harness.hpp"

using chat::LinkSpamGuard;
using Verdict = LinkSpamGuard::Verdict;

namespace {
const config::DmLinkSpamProtection kRules{};  // enabled, 5 threads, 1 hour, 24 h ban
}

TEST(LinkSpam, TheSixthRecipientKicksAndTheNextTripBans) {
  LinkSpamGuard g;
  for (int i = 1; i <= 5; ++i) {
    EXPECT_EQ(g.check("s", "u" + std::to_string(i), "see https://spam.com/x", 0, kRules),
              Verdict::kDeliver);
  }
  EXPECT_EQ(g.check("s", "u1", "again https://spam.com/x", 0, kRules), Verdict::kDeliver);
  EXPECT_EQ(g.check("s", "u6", "https://spam.com/x", 0, kRules), Verdict::kKick);
  EXPECT_EQ(g.check("s", "u7", "https://spam.com/x", 1'000, kRules), Verdict::kBan);
  EXPECT_EQ(g.check("other", "u7", "https://spam.com/x", 1'000, kRules), Verdict::kDeliver);
}

TEST(LinkSpam, TheSameLinkTwiceInOneMessageCountsOnce) {
  LinkSpamGuard g;
  for (int i = 1; i <= 5; ++i) {
    EXPECT_EQ(g.check("s", "u" + std::to_string(i), "www.a.com www.a.com www.a.com", 0, kRules),
              Verdict::kDeliver);
  }
}

TEST(LinkSpam, LinksAreForgottenAfterTheTimeLimit) {
  LinkSpamGuard g;
  for (int i = 1; i <= 5; ++i) g.check("s", "u" + std::to_string(i), "x.com", 0, kRules);
  EXPECT_EQ(g.check("s", "u6", "x.com", 3'600'001, kRules), Verdict::kDeliver);  // a new record
  g.sweep(10 * 3'600'000, kRules);
  auto off = kRules;
  off.enabled = false;
  for (int i = 1; i <= 9; ++i) {
    EXPECT_EQ(g.check("s", "v" + std::to_string(i), "x.com", 0, off), Verdict::kDeliver);
  }
}

TEST(RoomLinkSpam, KickThenBanAndTheDmIsNotDelivered) {
  test::RoomHarness h;
  h.join(1, "spammer");
  for (int i = 2; i <= 8; ++i) h.join(i, "u" + std::to_string(i));
  auto dm = [](int to) {
    return R"({"action":"message","channel":"@u)" + std::to_string(to) +
           R"(","message":"buy at shop.example.com now"})";
  };
  for (int i = 2; i <= 6; ++i) h.send(1, dm(i));
  h.clear();
  h.send(1, dm(7));
  EXPECT_EQ(test::last_of(h.got(7), "message"), "");
  EXPECT_EQ(test::last_of(h.got(1), "message"), "");  // no echo either
  EXPECT_NE(test::last_of(h.got(1), "error").find("Spam Detected"), std::string::npos);
  EXPECT_NE(test::last_of(h.got(8), "presence").find("has been kicked"), std::string::npos);
  EXPECT_EQ(h.room().find_user("spammer"), nullptr);

  h.connect(20);
  h.send(20, R"({"action":"login","username":"spammer"})");
  h.clear();
  h.send(20, dm(8));
  EXPECT_EQ(test::last_of(h.got(8), "message"), "");
  EXPECT_NE(test::last_of(h.got(8), "presence").find("has been banned!"), std::string::npos);
  ASSERT_EQ(h.last_output().ban_changes.size(), 1u);
  EXPECT_EQ(h.last_output().ban_changes[0].username, "spammer");
}
