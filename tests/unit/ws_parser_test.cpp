#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/ws_parser.hpp"

using net::WsParser;

namespace {

// A masked client frame.
std::string frame(unsigned opcode, std::string_view payload, bool fin = true) {
  std::string f;
  f.push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
  const unsigned char key[4] = {0x11, 0x22, 0x33, 0x44};
  if (payload.size() < 126) {
    f.push_back(static_cast<char>(0x80 | payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    f.push_back(static_cast<char>(0x80 | 126));
    f.push_back(static_cast<char>(payload.size() >> 8));
    f.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    f.push_back(static_cast<char>(0x80 | 127));
    for (int i = 7; i >= 0; --i)
      f.push_back(static_cast<char>(uint64_t{payload.size()} >> (8 * i)));
  }
  f.append(reinterpret_cast<const char*>(key), 4);
  for (size_t i = 0; i < payload.size(); ++i)
    f.push_back(static_cast<char>(payload[i] ^ key[i & 3]));
  return f;
}

struct Seen {
  std::vector<std::pair<WsParser::Kind, std::string>> frames;
  WsParser::OnFrame callback() {
    return [this](WsParser::Kind k, std::string_view p) { frames.emplace_back(k, std::string(p)); };
  }
};

std::optional<WsParser::Failure> feed(WsParser& p, std::string bytes, Seen& seen) {
  return p.feed(bytes.data(), bytes.size(), seen.callback());
}

}  // namespace

TEST(WsParser, TextFramesInOneRead) {
  WsParser p(1024);
  Seen seen;
  EXPECT_FALSE(feed(p, frame(1, "hello") + frame(1, "world"), seen));
  ASSERT_EQ(seen.frames.size(), 2u);
  EXPECT_EQ(seen.frames[0].second, "hello");
  EXPECT_EQ(seen.frames[1].second, "world");
  EXPECT_EQ(p.buffered(), 0u);
}

TEST(WsParser, FramesSplitAtEveryByte) {
  const std::string payload(300, 'x');  // a 16-bit length header
  const std::string bytes = frame(1, payload) + frame(1, "tail");
  WsParser p(1024);
  Seen seen;
  for (char c : bytes) ASSERT_FALSE(feed(p, std::string(1, c), seen));
  ASSERT_EQ(seen.frames.size(), 2u);
  EXPECT_EQ(seen.frames[0].second, payload);
  EXPECT_EQ(seen.frames[1].second, "tail");
}

TEST(WsParser, FragmentedMessageWithAPingInTheMiddle) {
  WsParser p(1024);
  Seen seen;
  EXPECT_FALSE(feed(
      p, frame(1, "hel", false) + frame(9, "ping!") + frame(0, "lo", false) + frame(0, "!"), seen));
  ASSERT_EQ(seen.frames.size(), 2u);
  EXPECT_EQ(seen.frames[0].first, WsParser::Kind::kPing);
  EXPECT_EQ(seen.frames[1].first, WsParser::Kind::kText);
  EXPECT_EQ(seen.frames[1].second, "hello!");
}

TEST(WsParser, BinaryAndCloseFrames) {
  WsParser p(1024);
  Seen seen;
  EXPECT_FALSE(feed(p, frame(2, "\x01\x02") + frame(8, "\x03\xe8"), seen));
  EXPECT_EQ(seen.frames[0].first, WsParser::Kind::kBinary);
  EXPECT_EQ(seen.frames[1].first, WsParser::Kind::kClose);
}

TEST(WsParser, OversizedMessageIsRefusedFromItsHeader) {
  WsParser p(100);
  Seen seen;
  std::string f = frame(1, std::string(70000, 'a'));
  auto failure = feed(p, f.substr(0, 20), seen);  // the header alone
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->close_code, 1009);
  EXPECT_TRUE(seen.frames.empty());
}

TEST(WsParser, FragmentsCountTowardsTheLimit) {
  WsParser p(10);
  Seen seen;
  EXPECT_FALSE(feed(p, frame(1, "123456", false), seen));
  auto failure = feed(p, frame(0, "789012"), seen);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->close_code, 1009);
}

TEST(WsParser, ProtocolViolations) {
  const std::pair<std::string, const char*> cases[] = {
      {std::string("\x81\x05hello", 7), "unmasked"},
      {frame(0, "orphan continuation"), "continuation without a message"},
      {frame(9, std::string(126, 'p')), "control frame too long"},
      {frame(9, "x", false), "fragmented control frame"},
      {frame(3, "x"), "reserved opcode"},
      {std::string(1, '\xC1') + frame(1, "x").substr(1), "RSV bit set"},
  };
  for (const auto& [bytes, what] : cases) {
    WsParser p(1024);
    Seen seen;
    auto failure = feed(p, bytes, seen);
    ASSERT_TRUE(failure) << what;
    EXPECT_EQ(failure->close_code, 1002) << what;
  }
}

TEST(WsParser, NewMessageInsideAFragmentedOneIsAViolation) {
  WsParser p(1024);
  Seen seen;
  auto failure = feed(p, frame(1, "a", false) + frame(1, "b"), seen);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->close_code, 1002);
}
