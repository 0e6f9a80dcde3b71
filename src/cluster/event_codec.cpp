#include "cluster/event_codec.hpp"

#include <array>
#include <concepts>
#include <limits>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "util/bytes.hpp"

namespace cluster {
namespace {

using util::ByteWriter;

constexpr uint64_t kVersion = 1;

// Tags are variant indices, and entries written by a node of the previous
// build are still read by a node of the next one during a rolling restart:
// new events go at the end of chat::EventBody (and of this list), existing
// ones never move. A change to the variant fails here until the codec (and
// its test's samples) have been looked at.
template <class... T>
constexpr bool kEventsAre = std::is_same_v<chat::EventBody, std::variant<T...>>;
static_assert(std::variant_size_v<chat::EventBody> == 19,
              "chat::EventBody changed: update the list below, append only");
static_assert(
    kEventsAre<chat::Connected, chat::Disconnected, chat::Received, chat::Polled, chat::Tick,
               chat::StatisticsQuery, chat::CacheBlocklist, chat::BlocklistQuery, chat::Shutdown,
               chat::ReloadDone, chat::ReportSent, chat::TakebackChecked, chat::OnlineQuery,
               chat::PictureReady, chat::BlockNow, chat::DisconnectNow, chat::AmendJwt,
               chat::NodeJoined, chat::NodeLeft>,
    "tags are variant indices: append new events at the end of chat::EventBody");

// The last enumerators, for validating what is decoded: keep them in step
// with the enums (an enumerator added after them would be refused on decode).
constexpr auto kLastAction = protocol::Action::kPing;
constexpr auto kLastJwt = chat::Inbound::Jwt::kMissing;

// ---- The fields of each struct, in wire order.
// Structured bindings must name every member, so adding a member to one of
// these structs fails to compile here until the codec has decided about it.
// `T` is the struct, const when encoding.

template <class T, class U>
concept Is = std::same_as<std::remove_const_t<T>, U>;

template <class T>
requires std::is_empty_v<std::remove_const_t<T>>
auto fields(T&) {
  return std::tuple<>();
}
auto fields(Is<protocol::ClientMessage> auto& m) {
  auto& [action, action_name, channel, username, message, jwt, video, status, dnd, msg_id,
         open_secret, usernames, timestamp, reason, comment, candidate, description, bytes,
         extensions] = m;
  (void)bytes;  // a picture's bytes stay on the node that received them
  return std::tie(action, action_name, channel, username, message, jwt, video, status, dnd, msg_id,
                  open_secret, usernames, timestamp, reason, comment, candidate, description,
                  extensions);
}
auto fields(Is<auth::Claims> auto& c) {
  auto& [iss, sub, aud, exp, nbf, iat, jti, op, vip, img, url, nick, emoji, gender, rules] = c;
  return std::tie(iss, sub, aud, exp, nbf, iat, jti, op, vip, img, url, nick, emoji, gender, rules);
}
auto fields(Is<chat::Inbound> auto& in) {
  auto& [msg, error, html, jwt, claims, jwt_error, open_secret, picture] = in;
  (void)picture;  // as `bytes` above
  return std::tie(msg, error, html, jwt, claims, jwt_error, open_secret);
}
auto fields(Is<chat::Connected> auto& e) {
  auto& [conn] = e;
  return std::tie(conn);
}
auto fields(Is<chat::Disconnected> auto& e) {
  auto& [conn, timed_out] = e;
  return std::tie(conn, timed_out);
}
auto fields(Is<chat::Received> auto& e) {
  auto& [conn, in] = e;
  return std::tie(conn, in);
}
auto fields(Is<chat::Polled> auto& e) {
  auto& [req, conn, username, in] = e;
  return std::tie(req, conn, username, in);
}
auto fields(Is<chat::StatisticsQuery> auto& e) {
  auto& [req] = e;
  return std::tie(req);
}
auto fields(Is<chat::CacheBlocklist> auto& e) {
  auto& [username, blocklist] = e;
  return std::tie(username, blocklist);
}
auto fields(Is<chat::BlocklistQuery> auto& e) {
  auto& [req, username] = e;
  return std::tie(req, username);
}
auto fields(Is<chat::ReloadDone> auto& e) {
  auto& [conn, error] = e;
  return std::tie(conn, error);
}
auto fields(Is<chat::ReportSent> auto& e) {
  auto& [conn, error] = e;
  return std::tie(conn, error);
}
auto fields(Is<chat::TakebackChecked> auto& e) {
  auto& [conn, msg_id, deleted] = e;
  return std::tie(conn, msg_id, deleted);
}
auto fields(Is<chat::OnlineQuery> auto& e) {
  auto& [req, username] = e;
  return std::tie(req, username);
}
auto fields(Is<chat::PictureReady> auto& e) {
  auto& [conn, channel, html, error] = e;
  return std::tie(conn, channel, html, error);
}
auto fields(Is<chat::BlockNow> auto& e) {
  auto& [req, usernames] = e;
  return std::tie(req, usernames);
}
auto fields(Is<chat::DisconnectNow> auto& e) {
  auto& [req, usernames, message, kick] = e;
  return std::tie(req, usernames, message, kick);
}
auto fields(Is<chat::AmendJwt> auto& e) {
  auto& [req, username, claims] = e;
  return std::tie(req, username, claims);
}
auto fields(Is<chat::NodeJoined> auto& e) {
  auto& [node, name] = e;
  return std::tie(node, name);
}
auto fields(Is<chat::NodeLeft> auto& e) {
  auto& [node] = e;
  return std::tie(node);
}

template <class T>
concept HasFields = requires(T& x) {
  fields(x);
};

// ---- Encoding.

void put(ByteWriter& w, const std::string& s) {
  w.str(s);
}
void put(ByteWriter& w, uint64_t v) {
  w.u64(v);
}
void put(ByteWriter& w, uint32_t v) {
  w.u64(v);
}
void put(ByteWriter& w, int64_t v) {
  w.i64(v);
}
void put(ByteWriter& w, bool v) {
  w.boolean(v);
}
void put(ByteWriter& w, const std::optional<double>& v) {
  w.boolean(v.has_value());
  if (v) w.f64(*v);
}
void put(ByteWriter& w, const std::vector<std::string>& v) {
  w.u64(v.size());
  for (const auto& s : v) w.str(s);
}
template <class E>
requires std::is_enum_v<E>
void put(ByteWriter& w, E e) {
  w.u64(std::to_underlying(e));
}
template <HasFields T>
void put(ByteWriter& w, const T& x) {
  std::apply([&w](const auto&... f) { (put(w, f), ...); }, fields(x));
}

// ---- Decoding.

// A ByteReader fails on bytes it cannot read; this also remembers the first
// value that was read whole but makes no sense here.
struct Reader {
  util::ByteReader bytes;
  std::string invalid;

  // `v` if it is at most `last`, else zero and an error.
  uint64_t at_most(uint64_t last, const char* what) {
    const uint64_t v = bytes.u64();
    if (v <= last) return v;
    if (invalid.empty()) invalid = std::string(what) + " " + std::to_string(v) + " out of range";
    return 0;
  }
};

void get(Reader& r, std::string& s) {
  s.assign(r.bytes.str_view());
}
void get(Reader& r, uint64_t& v) {
  v = r.bytes.u64();
}
void get(Reader& r, uint32_t& v) {
  v = static_cast<uint32_t>(r.at_most(std::numeric_limits<uint32_t>::max(), "node"));
}
void get(Reader& r, int64_t& v) {
  v = r.bytes.i64();
}
void get(Reader& r, bool& v) {
  v = r.bytes.boolean();
}
void get(Reader& r, std::optional<double>& v) {
  if (r.bytes.boolean()) {
    v = r.bytes.f64();
  } else {
    v.reset();
  }
}
void get(Reader& r, std::vector<std::string>& v) {
  // Each string takes at least its length byte: a count the input cannot
  // hold is refused before anything is allocated for it.
  v.resize(r.bytes.count(1));
  for (auto& s : v) get(r, s);
}
void get(Reader& r, protocol::Action& a) {
  a = static_cast<protocol::Action>(r.at_most(std::to_underlying(kLastAction), "action"));
}
void get(Reader& r, chat::Inbound::Jwt& j) {
  j = static_cast<chat::Inbound::Jwt>(r.at_most(std::to_underlying(kLastJwt), "jwt outcome"));
}
template <HasFields T>
void get(Reader& r, T& x) {
  std::apply([&r](auto&... f) { (get(r, f), ...); }, fields(x));
}

// One decoder per alternative, indexed by tag.
using BodyGetter = void (*)(Reader&, chat::EventBody&);
template <size_t I>
void get_alternative(Reader& r, chat::EventBody& body) {
  get(r, body.emplace<I>());
}
template <size_t... I>
constexpr std::array<BodyGetter, sizeof...(I)> body_getters(std::index_sequence<I...>) {
  return {&get_alternative<I>...};
}
constexpr auto kBodyGetters =
    body_getters(std::make_index_sequence<std::variant_size_v<chat::EventBody>>());

}  // namespace

void encode_entry(const LogEntry& e, std::string& out) {
  ByteWriter w(out);
  w.u64(kVersion).u64(e.origin).i64(e.event.now_ms).u64(e.event.body.index());
  std::visit([&w](const auto& body) { put(w, body); }, e.event.body);
}

std::expected<LogEntry, std::string> decode_entry(std::string_view bytes) {
  const auto error = [](const std::string& why) {
    return std::unexpected("event log entry: " + why);
  };
  Reader r{util::ByteReader(bytes), {}};
  const uint64_t version = r.bytes.u64();
  if (r.bytes.failed()) return error("empty or truncated");
  if (version != kVersion)
    return error("format version " + std::to_string(version) + ", this build reads " +
                 std::to_string(kVersion));

  std::expected<LogEntry, std::string> result;
  LogEntry& e = *result;
  get(r, e.origin);
  e.event.now_ms = r.bytes.i64();
  const uint64_t tag = r.bytes.u64();
  if (r.bytes.failed()) return error("truncated");
  if (tag >= kBodyGetters.size()) return error("unknown event tag " + std::to_string(tag));
  kBodyGetters[tag](r, e.event.body);

  if (!r.invalid.empty()) return error(r.invalid);
  if (r.bytes.failed()) return error("truncated or malformed");
  if (!r.bytes.at_end()) return error("trailing bytes after the event");
  return result;
}

}  // namespace cluster
