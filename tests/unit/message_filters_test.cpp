#include <gtest/gtest.h>

#include "chat/message_filters.hpp"
#include "config/filter_check.hpp"
#include "config/loader.hpp"
#include "room_harness.hpp"

using chat::MessageFilters;
using config::MessageFilter;

namespace {

MessageFilter filter(std::vector<std::string> phrases) {
  MessageFilter f;
  f.enabled = true;
  f.keyword_phrases = std::move(phrases);
  return f;
}

}  // namespace

TEST(MessageFilters, CensorsEachMatchByItsBytes) {
  MessageFilters filters({filter({R"(\bswear\b)", "(?i)caf."})});
  auto hit = filters.match("I swear, CAFÉ au lait", false);
  ASSERT_TRUE(hit);
  // Escaped for Markdown; É is two bytes: 'CAF' + 2.
  EXPECT_EQ(hit->text, R"(I \*\*\*\*\*, \*\*\*\*\* au lait)");
  EXPECT_FALSE(filters.match("nothing here", false));
}

TEST(MessageFilters, TheFirstFilterWithAMatchDecides) {
  auto first = filter({"apple"});
  first.censor_message = false;
  first.chat_server_response = "first";
  auto second = filter({"apple", "pear"});
  second.chat_server_response = "second";
  MessageFilters filters({first, second});
  auto hit = filters.match("an apple and a pear", false);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->filter->chat_server_response, "first");
  EXPECT_EQ(hit->text, "an apple and a pear");  // this one does not censor
  EXPECT_EQ(filters.match("a pear", false)->filter->chat_server_response, "second");
}

TEST(MessageFilters, DisabledFiltersAndChannelKindsAreHonoured) {
  auto off = filter({"x"});
  off.enabled = false;
  auto dm_only = filter({"dm"});
  dm_only.public_channels = false;
  MessageFilters filters({off, dm_only});
  EXPECT_FALSE(filters.match("x", false));
  EXPECT_FALSE(filters.match("dm", false));
  EXPECT_TRUE(filters.match("dm", true));
}

TEST(MessageFilters, NoPatternOrTextCanStallIt) {
  // Backtracking engines take exponential time on this; RE2 is linear.
  MessageFilters filters({filter({"(a+)+$", "(x*)*y", ""})});
  const std::string text(100'000, 'a');
  auto hit = filters.match(text + "!", false);
  ASSERT_TRUE(hit);  // the empty pattern matches, censoring nothing
  EXPECT_EQ(hit->text, text + "!");
}

TEST(MessageFilters, ABadPatternIsRefusedNamingTheFilter) {
  EXPECT_FALSE(config::invalid_filter_pattern({filter({"ok"})}));
  auto bad = config::invalid_filter_pattern({filter({"ok"}), filter({"fine", "(unclosed"})});
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->find("MessageFilters[1].KeywordPhrases: '(unclosed' is not a valid regular "
                      "expression: missing )"),
            std::string::npos)
      << *bad;
  auto parsed = config::parse_settings(
      "[[MessageFilters]]\nEnabled = true\nKeywordPhrases = ['a(?<n>b)', '(']\n",
      config::default_settings("k"));
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().find("MessageFilters[0]"), std::string::npos) << parsed.error();
}

namespace {

std::string say(const std::string& channel, const std::string& text) {
  return R"({"action":"message","channel":")" + channel + R"(","message":")" + text + R"("})";
}

// alice (1), bob (2), operator (3); one filter on "darn".
struct Filtered : test::RoomHarness {
  explicit Filtered(MessageFilter f) : RoomHarness(with(std::move(f))) {
    join(1, "alice");
    join(2, "bob");
    auto op = test::claims_for("op");
    op.op = true;
    join_jwt(3, op);
  }
  static config::Settings with(MessageFilter f) {
    auto s = make_settings();
    s.message_filters = {std::move(f)};
    return s;
  }
  // The HTML of the last message `id` got; "" when none.
  std::string message(chat::ConnId id) {
    auto doc = protocol::parse_json(test::last_of(got(id), "message"));
    return doc && doc->HasMember("message") ? (*doc)["message"].GetString() : "";
  }
};

}  // namespace

TEST(RoomFilters, NotForwardedTheSenderAloneSeesItCensored) {
  Filtered h(filter({"darn"}));
  h.send(1, say("lobby", "oh darn it"));
  EXPECT_EQ(h.message(1), "<p>oh **** it</p>");
  EXPECT_EQ(h.message(2), "");
  EXPECT_NE(test::last_of(h.got(1), "error").find("Watch your language."), std::string::npos);
}

TEST(RoomFilters, ForwardedEveryoneGetsTheCensoredText) {
  auto f = filter({"darn"});
  f.forward_message = true;
  f.chat_server_response = "";
  Filtered h(f);
  h.send(1, say("lobby", "**darn** it"));
  EXPECT_EQ(h.message(2), "<p><strong>****</strong> it</p>");  // the markup intact
  EXPECT_EQ(test::last_of(h.got(1), "error"), "");
}

TEST(RoomFilters, DmsWithAnOperatorAreNotFiltered) {
  auto f = filter({"darn"});
  f.report_message = true;
  Filtered h(f);
  h.send(1, say("@op", "darn"));
  EXPECT_EQ(h.message(3), "<p>darn</p>");
  h.clear();
  h.send(3, say("lobby", "darn"));  // an operator in a channel is filtered, and told
  EXPECT_EQ(h.message(1), "");
  EXPECT_NE(test::last_of(h.got(3), "error").find("would have been reported"), std::string::npos);
  h.clear();
  h.send(1, say("@bob", "darn"));  // between users: filtered
  EXPECT_EQ(h.message(2), "");
}
