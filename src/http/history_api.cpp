#include "http/history_api.hpp"

#include <functional>

#include "http/api_request.hpp"
#include "http/responses.hpp"
#include "protocol/json_reader.hpp"
#include "protocol/json_writer.hpp"
#include "util/local_time.hpp"

namespace http {
namespace {

constexpr const char* kNotLoggedIn = "You are not logged into the chat room.";
constexpr const char* kNoDatabase = "database is not initialized";

// Each endpoint answers its errors in its own shape (the keys without
// omitempty present, zero or null): `fields` adds them after OK and Error.
net::Response answer(const net::Request& req, bhttp::status status, std::string_view error,
                     const std::function<void(protocol::JsonWriter&)>& fields) {
  std::string body;
  protocol::JsonWriter w(body, true);
  w.begin_object().field("OK", error.empty());
  if (!error.empty()) w.field("Error", error);
  fields(w);
  w.end_object();
  return json_response(req, status, std::move(body));
}

// The caller's name from its chat JWT, or the error to answer with.
std::expected<std::string, std::string> jwt_user(const Backend& backend, std::string_view token) {
  auto claims = chat_jwt_claims(*backend.settings(), token, backend.now_seconds());
  if (!claims) return std::unexpected(std::move(claims.error()));
  return std::move(claims->sub);
}

void write_messages(protocol::JsonWriter& w, const std::vector<store::StoredMessage>& messages) {
  w.key("Messages").begin_array();
  for (const auto& m : messages) {
    w.begin_object()
        .field("username", m.username)
        .field("message", m.html)
        .field("msgID", m.msg_id)
        .field("timestamp", util::rfc3339_local(m.at))
        .end_object();
  }
  w.end_array();
}

}  // namespace

// The checks both reading endpoints make, in the original's order: the
// JWT, the caller signed in to the chat, the database open. Then `read`
// runs with the caller's name, on the room's answer.
void HistoryApi::for_signed_in_user(const net::Request& req, const net::Respond& respond,
                                    std::string_view token, const Fields& empty,
                                    std::function<void(std::string, store::HistoryStore&)> read) {
  auto me = jwt_user(backend_, token);
  if (!me) return respond(answer(req, bhttp::status::bad_request, me.error(), empty));
  backend_.user_online(*me, [this, me = *me, head = request_head(req), respond, empty,
                             read = std::move(read)](bool online) {
    if (!online) return respond(answer(head, bhttp::status::bad_request, kNotLoggedIn, empty));
    auto* store = backend_.history();
    if (!store) {
      return respond(answer(head, bhttp::status::internal_server_error, kNoDatabase, empty));
    }
    read(me, *store);
  });
}

void HistoryApi::history(const net::Request& req, const net::Respond& respond) {
  const Fields empty = [](protocol::JsonWriter& w) {
    w.key("Messages").raw("null").field("Remaining", 0);
  };
  auto body = read_json_body(req);
  if (!body) return respond(std::move(body.error()));
  std::string token, other;
  int64_t before = 0;
  protocol::ObjectReader r(*body);
  r.read("JWTToken", token);
  r.read("Username", other);
  r.read("BeforeID", before);
  if (!r.ok()) return respond(answer(req, bhttp::status::bad_request, r.error(), empty));
  for_signed_in_user(
      req, respond, token, empty,
      [other = std::move(other), before, head = request_head(req), respond, empty](
          std::string me, store::HistoryStore& store) {
        store.page(me, other, before, [head, respond, empty](store::HistoryPage page) {
          if (!page.error.empty()) {
            return respond(answer(head, bhttp::status::internal_server_error, page.error, empty));
          }
          respond(answer(head, bhttp::status::ok, {}, [&](protocol::JsonWriter& w) {
            write_messages(w, page.messages);
            w.field("Remaining", page.remaining);
          }));
        });
      });
}

void HistoryApi::usernames(const net::Request& req, const net::Respond& respond) {
  const Fields empty = [](protocol::JsonWriter& w) {
    w.key("Usernames").raw("null").field("Count", 0).field("Pages", 0);
  };
  auto body = read_json_body(req);
  if (!body) return respond(std::move(body.error()));
  std::string token, sort;
  int64_t page = 1;
  protocol::ObjectReader r(*body);
  r.read("JWTToken", token);
  r.read("Sort", sort);
  r.read("Page", page);
  if (!r.ok()) return respond(answer(req, bhttp::status::bad_request, r.error(), empty));
  for_signed_in_user(
      req, respond, token, empty,
      [sort = std::move(sort), page, head = request_head(req), respond, empty](
          std::string me, store::HistoryStore& store) {
        store.partners(me, sort, page, [head, respond, empty](store::PartnerPage p) {
          if (p.error.empty() && p.count == 0) {
            p.error = "you have no direct messages stored on this chat server";
          }
          if (!p.error.empty()) {
            return respond(answer(head, bhttp::status::internal_server_error, p.error, empty));
          }
          const int64_t per = store::HistoryStore::kPartnersPerPage;
          respond(answer(head, bhttp::status::ok, {}, [&](protocol::JsonWriter& w) {
            w.key("Usernames").begin_array();
            for (const auto& name : p.usernames) w.string(name);
            w.end_array().field("Count", p.count).field("Pages", (p.count + per - 1) / per);
          }));
        });
      });
}

void HistoryApi::clear(const net::Request& req, const net::Respond& respond) {
  const Fields none = [](protocol::JsonWriter& w) { w.field("MessagesErased", 0); };
  const auto fail = [&](bhttp::status status, std::string_view error) {
    respond(answer(req, status, error, none));
  };
  auto body = read_json_body(req);
  if (!body) return respond(std::move(body.error()));
  std::string token, key, user;
  protocol::ObjectReader r(*body);
  r.read("JWTToken", token);
  r.read("APIKey", key);
  r.read("Username", user);
  if (!r.ok()) return fail(bhttp::status::bad_request, r.error());
  const auto s = backend_.settings();
  if (!key.empty()) {
    if (auto denied = check_api_key(req, *body, *s)) return respond(std::move(*denied));
  } else {
    auto me = jwt_user(backend_, token);
    if (!me) return fail(bhttp::status::bad_request, me.error());
    user = std::move(*me);  // a user clears their own DMs only
  }
  auto* store = backend_.history();
  if (!store) return fail(bhttp::status::internal_server_error, kNoDatabase);
  store->clear(user, [head = request_head(req), respond, none](int64_t erased, std::string error) {
    if (!error.empty()) {
      return respond(answer(head, bhttp::status::internal_server_error, error, none));
    }
    respond(answer(head, bhttp::status::ok, {},
                   [&](protocol::JsonWriter& w) { w.field("MessagesErased", erased); }));
  });
}

}  // namespace http
