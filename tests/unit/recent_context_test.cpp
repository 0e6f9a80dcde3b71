#include <gtest/gtest.h>

#include "chat/recent_context.hpp"
#include "util/local_time.hpp"

using chat::RecentContext;

namespace {
constexpr int64_t kT = 1'795'622'527;
const std::string kNone = "(No recent message history in this channel)";
}  // namespace

TEST(RecentContext, DmKeysDoNotDependOnWhoWrites) {
  EXPECT_EQ(RecentContext::dm_key("bob", "alice"), "@alice:bob");
  EXPECT_EQ(RecentContext::dm_key("alice", "bob"), "@alice:bob");
  EXPECT_EQ(RecentContext::dm_key("Zed", "amy"), "@Zed:amy");  // byte order
}

TEST(RecentContext, LinesAreStampedTrimmedAndJoinedByBlankLines) {
  RecentContext c;
  EXPECT_EQ(c.text("lobby"), kNone);
  c.add("lobby", kT, "alice", "  hello there \n");
  c.add("lobby", kT + 61, "bob", "hi");
  EXPECT_EQ(c.text("lobby"), util::datetime_local(kT) + " [alice] hello there\n\n" +
                                 util::datetime_local(kT + 61) + " [bob] hi");
  EXPECT_EQ(c.text("offtopic"), kNone);
  EXPECT_EQ(util::datetime_local(kT).size(), 19u);  // YYYY-MM-DD HH:MM:SS
}

TEST(RecentContext, KeepsTheLastThirtyLines) {
  RecentContext c;
  for (int i = 1; i <= 40; ++i) c.add("lobby", kT, "u", "line " + std::to_string(i));
  const auto text = c.text("lobby");
  EXPECT_EQ(text.find("line 10\n"), std::string::npos);
  EXPECT_EQ(text.find("] line 11"), text.find("] line "));  // the first kept
  EXPECT_NE(text.find("] line 40"), std::string::npos);
}

TEST(RecentContext, HugeLinesAreCutWithoutBreakingACharacter) {
  RecentContext c;
  c.add("lobby", kT, "u", std::string(RecentContext::kLineBytes - 1, 'a') + "é and more");
  const auto text = c.text("lobby");
  const auto body = text.substr(text.find("] ") + 2);
  EXPECT_EQ(body, std::string(RecentContext::kLineBytes - 1, 'a'));  // é would not fit whole
}

TEST(RecentContext, MemoryStaysBoundedByForgettingTheOldestConversations) {
  RecentContext c;
  const std::string big(RecentContext::kLineBytes, 'x');
  c.add("lobby", kT, "u", "keep me");
  for (int i = 0; i < 10'000; ++i) {
    c.add(RecentContext::dm_key("spammer", "u" + std::to_string(i)), kT, "spammer", big);
    if (i % 1000 == 0) c.add("lobby", kT, "u", "still here");  // written lately: kept
  }
  EXPECT_LE(c.bytes(), RecentContext::kMaxBytes);
  EXPECT_LT(c.conversations(), 10'000u);
  EXPECT_NE(c.text("lobby").find("keep me"), std::string::npos);
  EXPECT_EQ(c.text(RecentContext::dm_key("spammer", "u0")), kNone);  // forgotten
  EXPECT_NE(c.text(RecentContext::dm_key("spammer", "u9999")), kNone);
}
