#include <gtest/gtest.h>

#include "chat/ban_list.hpp"
#include "chat/shell_words.hpp"
#include "util/go_duration.hpp"

using chat::split_shell_words;
using Words = std::vector<std::string>;

TEST(ShellWords, QuotesAndEscapesAsAShellWould) {
  EXPECT_EQ(*split_shell_words("/kick  alice "), (Words{"/kick", "alice"}));
  EXPECT_EQ(*split_shell_words(R"(/kick "user 2")"), (Words{"/kick", "user 2"}));
  EXPECT_EQ(*split_shell_words(R"(/kick 'it''s' a\ b)"), (Words{"/kick", "its", "a b"}));
  EXPECT_EQ(*split_shell_words(R"(/x "a\"b\n" '$HOME')"), (Words{"/x", "a\"b\\n", "$HOME"}));
  EXPECT_EQ(*split_shell_words(R"(/x "")"), (Words{"/x", ""}));
  EXPECT_TRUE(split_shell_words("   ")->empty());
}

TEST(ShellWords, UnterminatedQuotesAndTrailingBackslashesAreNotCommands) {
  EXPECT_FALSE(split_shell_words(R"(/kick "alice)"));
  EXPECT_FALSE(split_shell_words("/kick 'alice"));
  EXPECT_FALSE(split_shell_words("/kick alice\\"));
}

TEST(BanList, ExpiresAndIsDroppedWhenChecked) {
  chat::BanList bans;
  bans.ban("alice", 2, 1'000);
  EXPECT_EQ(bans.remaining_ms("alice", 1'000), 2 * 3'600'000);
  EXPECT_FALSE(bans.remaining_ms("bob", 1'000));
  EXPECT_FALSE(bans.remaining_ms("alice", 1'000 + 2 * 3'600'000));  // over
  EXPECT_TRUE(bans.entries().empty());
  bans.ban("zero", 0, 1'000);
  bans.ban("negative", -5, 1'000);
  EXPECT_EQ(bans.entries().size(), 2u);  // listed until checked
  EXPECT_FALSE(bans.remaining_ms("zero", 1'000));
  EXPECT_TRUE(bans.unban("negative"));
  EXPECT_FALSE(bans.unban("negative"));
}

TEST(BanList, HugeHoursSaturateInsteadOfOverflowing) {
  chat::BanList bans;
  bans.ban("a", INT64_MAX, 1'000);
  bans.ban("b", INT64_MIN, 1'000);
  EXPECT_GT(*bans.remaining_ms("a", 1'000), int64_t{1} << 60);
  EXPECT_FALSE(bans.remaining_ms("b", 1'000));
}

TEST(BanList, DurationsReadAsGoPrintsThem) {
  EXPECT_EQ(util::go_duration(0), "0s");
  EXPECT_EQ(util::go_duration(850), "850ms");
  EXPECT_EQ(util::go_duration(303'200), "5m3.2s");
  EXPECT_EQ(util::go_duration(86'398'123), "23h59m58.123s");
  EXPECT_EQ(util::go_duration(3'600'000), "1h0m0s");
  EXPECT_EQ(util::go_duration(61'000), "1m1s");
}
