#include "cluster/event_codec.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "util/bytes.hpp"

namespace {

using chat::Inbound;
using cluster::LogEntry;
using protocol::Action;

constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();
constexpr chat::NodeId kMaxNode = std::numeric_limits<chat::NodeId>::max();

// ---- Samples: every field set, each to a value of its own, so that two
// fields swapped on the wire cannot go unnoticed.

const std::string kBinary("bin\0\xff\x80\x01", 7);
const std::string kLong(300, 'L');  // a length that takes two bytes

protocol::ClientMessage sample_message() {
  return {
      .action = Action::kOpen,
      .action_name = "open",
      .channel = "lobby",
      .username = "bob",
      .message = kLong,
      .jwt = "header.payload.sig",
      .video = -0x1234'5678'9abcLL,
      .status = "away",
      .dnd = true,
      .msg_id = std::numeric_limits<int64_t>::min(),
      .open_secret = "msg-secret",
      .usernames = {"carol", "", "dave"},
      .timestamp = "2024-01-02T03:04:05Z",
      .reason = "spam",
      .comment = kBinary,
      .candidate = "candidate:1 1 udp",
      .description = "v=0 sdp",
      .bytes = "",
      .extensions = {"who-delta", "next"},
  };
}

auth::Claims sample_claims() {
  return {
      .iss = "site",
      .sub = "alice",
      .aud = {"chat", "other"},
      .exp = 1.7e9 + 0.5,
      .nbf = -0.0,
      .iat = std::numeric_limits<double>::infinity(),
      .jti = "id-1",
      .op = true,
      .vip = true,
      .img = "/a.png",
      .url = "/u/alice",
      .nick = "Alice",
      .emoji = "🙂",
      .gender = "f",
      .rules = {"redcam", "noimage"},
  };
}

Inbound sample_inbound() {
  return {
      .msg = sample_message(),
      .error = "bad frame",
      .html = "<p>hi</p>",
      .jwt = Inbound::Jwt::kInvalid,
      .claims = sample_claims(),
      .jwt_error = "expired",
      .open_secret = "in-secret",
      .picture = nullptr,
  };
}

// One sample per alternative, in tag order.
std::vector<chat::EventBody> samples() {
  return {
      chat::Connected{.conn = chat::node_base(7) + 5},
      chat::Disconnected{.conn = kMaxU64, .timed_out = true},
      chat::Received{.conn = 42, .in = sample_inbound()},
      chat::Polled{.req = 9, .conn = 10, .username = "poller", .in = sample_inbound()},
      chat::Tick{},
      chat::StatisticsQuery{.req = 11},
      chat::CacheBlocklist{.username = "erin", .blocklist = {"frank", kBinary, ""}},
      chat::BlocklistQuery{.req = 12, .username = "gina"},
      chat::Shutdown{},
      chat::ReloadDone{.conn = 13, .error = "bad toml"},
      chat::ReportSent{.conn = 14, .error = "webhook down"},
      chat::TakebackChecked{.conn = 15, .msg_id = -16, .deleted = true},
      chat::OnlineQuery{.req = 17, .username = "hank"},
      chat::PictureReady{.conn = 18, .channel = "@ivy", .html = "<img>", .error = "too big"},
      chat::BlockNow{.req = 19, .usernames = {"jo", "kim"}},
      chat::DisconnectNow{.req = 20, .usernames = {"lee"}, .message = "bye", .kick = true},
      chat::AmendJwt{.req = 21, .username = "max", .claims = sample_claims()},
      chat::NodeJoined{.node = kMaxNode, .name = "node-b"},
      chat::NodeLeft{.node = 3},
  };
}

std::string encode(const LogEntry& e) {
  std::string out;
  cluster::encode_entry(e, out);
  return out;
}

LogEntry entry(chat::EventBody body) {
  return {.origin = 77, .event = {.now_ms = 1'700'000'000'123, .body = std::move(body)}};
}

// ---- Field-by-field comparison.

void expect_same(const std::optional<double>& a, const std::optional<double>& b) {
  ASSERT_EQ(a.has_value(), b.has_value());
  if (a) {
    EXPECT_EQ(std::bit_cast<uint64_t>(*a), std::bit_cast<uint64_t>(*b));  // -0.0, NaN
  }
}

void expect_same(const protocol::ClientMessage& a, const protocol::ClientMessage& b) {
  EXPECT_EQ(a.action, b.action);
  EXPECT_EQ(a.action_name, b.action_name);
  EXPECT_EQ(a.channel, b.channel);
  EXPECT_EQ(a.username, b.username);
  EXPECT_EQ(a.message, b.message);
  EXPECT_EQ(a.jwt, b.jwt);
  EXPECT_EQ(a.video, b.video);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.dnd, b.dnd);
  EXPECT_EQ(a.msg_id, b.msg_id);
  EXPECT_EQ(a.open_secret, b.open_secret);
  EXPECT_EQ(a.usernames, b.usernames);
  EXPECT_EQ(a.timestamp, b.timestamp);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.comment, b.comment);
  EXPECT_EQ(a.candidate, b.candidate);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.bytes, b.bytes);
  EXPECT_EQ(a.extensions, b.extensions);
}

void expect_same(const auth::Claims& a, const auth::Claims& b) {
  EXPECT_EQ(a.iss, b.iss);
  EXPECT_EQ(a.sub, b.sub);
  EXPECT_EQ(a.aud, b.aud);
  expect_same(a.exp, b.exp);
  expect_same(a.nbf, b.nbf);
  expect_same(a.iat, b.iat);
  EXPECT_EQ(a.jti, b.jti);
  EXPECT_EQ(a.op, b.op);
  EXPECT_EQ(a.vip, b.vip);
  EXPECT_EQ(a.img, b.img);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.nick, b.nick);
  EXPECT_EQ(a.emoji, b.emoji);
  EXPECT_EQ(a.gender, b.gender);
  EXPECT_EQ(a.rules, b.rules);
}

void expect_same(const Inbound& a, const Inbound& b) {
  expect_same(a.msg, b.msg);
  EXPECT_EQ(a.error, b.error);
  EXPECT_EQ(a.html, b.html);
  EXPECT_EQ(a.jwt, b.jwt);
  expect_same(a.claims, b.claims);
  EXPECT_EQ(a.jwt_error, b.jwt_error);
  EXPECT_EQ(a.open_secret, b.open_secret);
  EXPECT_EQ(a.picture, b.picture);
}

// The plain fields of each event, compared as tuples; the nested structs
// with the helpers above.
struct Plain {
  static auto of(const chat::Connected& e) { return std::tie(e.conn); }
  static auto of(const chat::Disconnected& e) { return std::tie(e.conn, e.timed_out); }
  static auto of(const chat::Received& e) { return std::tie(e.conn); }
  static auto of(const chat::Polled& e) { return std::tie(e.req, e.conn, e.username); }
  static auto of(const chat::Tick&) { return std::tie(); }
  static auto of(const chat::StatisticsQuery& e) { return std::tie(e.req); }
  static auto of(const chat::CacheBlocklist& e) { return std::tie(e.username, e.blocklist); }
  static auto of(const chat::BlocklistQuery& e) { return std::tie(e.req, e.username); }
  static auto of(const chat::Shutdown&) { return std::tie(); }
  static auto of(const chat::ReloadDone& e) { return std::tie(e.conn, e.error); }
  static auto of(const chat::ReportSent& e) { return std::tie(e.conn, e.error); }
  static auto of(const chat::TakebackChecked& e) { return std::tie(e.conn, e.msg_id, e.deleted); }
  static auto of(const chat::OnlineQuery& e) { return std::tie(e.req, e.username); }
  static auto of(const chat::PictureReady& e) {
    return std::tie(e.conn, e.channel, e.html, e.error);
  }
  static auto of(const chat::BlockNow& e) { return std::tie(e.req, e.usernames); }
  static auto of(const chat::DisconnectNow& e) {
    return std::tie(e.req, e.usernames, e.message, e.kick);
  }
  static auto of(const chat::AmendJwt& e) { return std::tie(e.req, e.username); }
  static auto of(const chat::NodeJoined& e) { return std::tie(e.node, e.name); }
  static auto of(const chat::NodeLeft& e) { return std::tie(e.node); }
};

template <class T>
void expect_same_event(const T& a, const T& b) {
  EXPECT_EQ(Plain::of(a), Plain::of(b));
  if constexpr (requires { a.in; }) expect_same(a.in, b.in);
  if constexpr (requires { a.claims; }) expect_same(a.claims, b.claims);
}

void expect_same(const chat::EventBody& a, const chat::EventBody& b) {
  ASSERT_EQ(a.index(), b.index());
  std::visit([&b](const auto& x) { expect_same_event(x, std::get<std::decay_t<decltype(x)>>(b)); },
             a);
}

// Encodes, decodes and checks that the decoded entry is the original.
LogEntry round_trip(const LogEntry& e) {
  const auto bytes = encode(e);
  auto decoded = cluster::decode_entry(bytes);
  EXPECT_TRUE(decoded.has_value()) << decoded.error();
  if (!decoded) return {};
  EXPECT_EQ(decoded->origin, e.origin);
  EXPECT_EQ(decoded->event.now_ms, e.event.now_ms);
  return std::move(*decoded);
}

void expect_error(std::string_view bytes, std::string_view containing) {
  const auto decoded = cluster::decode_entry(bytes);
  ASSERT_FALSE(decoded.has_value()) << "decoded tag " << decoded->event.body.index();
  EXPECT_NE(decoded.error().find(containing), std::string::npos) << decoded.error();
  EXPECT_EQ(decoded.error().rfind("event log entry: ", 0), 0u) << decoded.error();
}

// The bytes of an entry's header, for crafting bodies by hand.
std::string header(uint64_t tag, uint64_t version = 1, uint64_t origin = 1) {
  std::string out;
  util::ByteWriter(out).u64(version).u64(origin).i64(0).u64(tag);
  return out;
}

}  // namespace

TEST(EventCodec, SamplesCoverEveryEventInTagOrder) {
  const auto all = samples();
  ASSERT_EQ(all.size(), std::variant_size_v<chat::EventBody>);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].index(), i);
}

TEST(EventCodec, EveryEventRoundTripsFieldByField) {
  for (const auto& body : samples()) {
    SCOPED_TRACE(body.index());
    const auto decoded = round_trip(entry(body));
    expect_same(decoded.event.body, body);
  }
}

TEST(EventCodec, HeaderExtremesRoundTrip) {
  for (const int64_t now : {int64_t{0}, int64_t{-1}, std::numeric_limits<int64_t>::min(),
                            std::numeric_limits<int64_t>::max()}) {
    const LogEntry e{.origin = kMaxNode, .event = {.now_ms = now, .body = chat::Tick{}}};
    const auto decoded = round_trip(e);
    EXPECT_TRUE(std::holds_alternative<chat::Tick>(decoded.event.body));
  }
}

TEST(EventCodec, DefaultsRoundTrip) {
  for (const auto& body : {chat::EventBody(chat::Received{}), chat::EventBody(chat::Polled{}),
                           chat::EventBody(chat::AmendJwt{})}) {
    expect_same(round_trip(entry(body)).event.body, body);
  }
}

TEST(EventCodec, AbsentAndZeroClaimTimesDiffer) {
  auth::Claims claims;
  claims.nbf = 0.0;
  const auto decoded =
      round_trip(entry(chat::AmendJwt{.req = 1, .username = "u", .claims = claims}));
  const auto& got = std::get<chat::AmendJwt>(decoded.event.body).claims;
  EXPECT_FALSE(got.exp.has_value());
  ASSERT_TRUE(got.nbf.has_value());
  EXPECT_EQ(*got.nbf, 0.0);
  EXPECT_FALSE(got.iat.has_value());
}

TEST(EventCodec, LastEnumeratorsRoundTrip) {
  chat::Received r{.conn = 1, .in = sample_inbound()};
  r.in.msg.action = Action::kPing;
  r.in.jwt = Inbound::Jwt::kMissing;
  const auto decoded = round_trip(entry(r));
  const auto& in = std::get<chat::Received>(decoded.event.body).in;
  EXPECT_EQ(in.msg.action, Action::kPing);
  EXPECT_EQ(in.jwt, Inbound::Jwt::kMissing);
}

TEST(EventCodec, PictureAndBytesStayOnTheReceivingNode) {
  chat::Received r{.conn = 5, .in = sample_inbound()};
  r.in.msg.action = Action::kFile;
  r.in.msg.bytes = std::string(1000, '\xab');
  r.in.picture = std::make_shared<const std::string>(r.in.msg.bytes);
  const auto bytes = encode(entry(r));
  EXPECT_LT(bytes.size(), 1000u);
  const auto decoded = round_trip(entry(r));
  const auto& in = std::get<chat::Received>(decoded.event.body).in;
  EXPECT_EQ(in.picture, nullptr);
  EXPECT_EQ(in.msg.bytes, "");
  EXPECT_EQ(in.msg.action, Action::kFile);
  EXPECT_EQ(in.msg.message, kLong);  // the rest is carried
}

TEST(EventCodec, EncodeAppendsToTheBuffer) {
  const auto one = encode(entry(chat::NodeLeft{.node = 4}));
  std::string out = "prefix";
  cluster::encode_entry(entry(chat::NodeLeft{.node = 4}), out);
  EXPECT_EQ(out, "prefix" + one);
}

TEST(EventCodec, WireLayoutOfASmallEvent) {
  const LogEntry e{.origin = 2, .event = {.now_ms = -1, .body = chat::NodeLeft{.node = 300}}};
  // version 1, origin 2, now_ms -1 (zig-zag 1), tag 18, node 300 (varint ac 02)
  EXPECT_EQ(encode(e), std::string("\x01\x02\x01\x12\xac\x02"));
}

TEST(EventCodec, OtherVersionsAreRefused) {
  auto bytes = encode(entry(chat::Tick{}));
  bytes[0] = 2;
  expect_error(bytes, "format version 2");
  bytes[0] = 0;
  expect_error(bytes, "format version 0");
  expect_error("", "empty or truncated");
}

TEST(EventCodec, UnknownTagsAreRefused) {
  expect_error(header(19), "unknown event tag 19");
  expect_error(header(kMaxU64), "unknown event tag 18446744073709551615");
}

TEST(EventCodec, EveryTruncationIsAnError) {
  for (const auto& body : samples()) {
    const auto bytes = encode(entry(body));
    for (size_t n = 0; n < bytes.size(); ++n) {
      SCOPED_TRACE(testing::Message() << "tag " << body.index() << ", " << n << " bytes");
      EXPECT_FALSE(cluster::decode_entry(std::string_view(bytes).substr(0, n)).has_value());
    }
  }
}

TEST(EventCodec, TrailingBytesAreAnError) {
  for (const auto& body : samples()) {
    SCOPED_TRACE(body.index());
    expect_error(encode(entry(body)) + '\0', "trailing bytes");
  }
}

TEST(EventCodec, EnumsOutOfRangeAreAnError) {
  chat::Received r{.conn = 1, .in = sample_inbound()};
  r.in.msg.action = static_cast<Action>(static_cast<uint8_t>(Action::kPing) + 1);
  expect_error(encode(entry(r)), "action 22 out of range");

  r.in.msg.action = Action::kLogin;
  r.in.jwt = static_cast<Inbound::Jwt>(4);
  expect_error(encode(entry(r)), "jwt outcome 4 out of range");

  // Wider than the enum's underlying type: not truncated into range.
  expect_error(header(2) + std::string("\x01\x81\x02", 3), "action 257 out of range");
}

TEST(EventCodec, NodeIdsOutOfRangeAreAnError) {
  std::string node_left = header(18);
  util::ByteWriter(node_left).u64(uint64_t{1} << 32);
  expect_error(node_left, "node 4294967296 out of range");
  expect_error(header(4, 1, uint64_t{1} << 32), "node 4294967296 out of range");
}

TEST(EventCodec, HugeCountsAreRefusedBeforeAllocating) {
  std::string bytes = header(6);  // CacheBlocklist
  util::ByteWriter(bytes).str("u").u64(uint64_t{1} << 60);
  expect_error(bytes, "truncated or malformed");
}

// Random bytes, and valid entries with random bytes changed: decoding never
// crashes (the sanitizer build checks memory), and what decodes re-encodes
// to something that decodes to the same encoding.
TEST(EventCodec, RandomBytesNeverCrash) {
  std::mt19937_64 rng(20240611);
  const auto all = samples();
  std::vector<std::string> encoded;
  for (const auto& body : all) encoded.push_back(encode(entry(body)));
  int decoded_count = 0;
  for (int i = 0; i < 6000; ++i) {
    std::string bytes;
    if (i % 2 == 0) {
      bytes.resize(rng() % 96);
      for (auto& c : bytes) c = static_cast<char>(rng());
      if (i % 4 == 0 && !bytes.empty()) bytes[0] = 1;  // past the version check
    } else {
      bytes = encoded[rng() % encoded.size()];
      for (int k = 1 + rng() % 3; k > 0; --k)
        bytes[rng() % bytes.size()] = static_cast<char>(rng());
    }
    const auto decoded = cluster::decode_entry(bytes);
    if (!decoded) continue;
    ++decoded_count;
    const auto again = encode(*decoded);
    const auto redecoded = cluster::decode_entry(again);
    ASSERT_TRUE(redecoded.has_value()) << redecoded.error();
    EXPECT_EQ(encode(*redecoded), again);
  }
  EXPECT_GT(decoded_count, 0);  // the mutations do reach successful decodes sometimes
}
