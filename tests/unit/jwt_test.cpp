#include <gtest/gtest.h>

#include "auth/jwt.hpp"
#include "util/base64.hpp"
#include "util/go_duration.hpp"

namespace {

constexpr int64_t kNow = 1'800'000'000;

std::string token_with_header(std::string_view header_json, std::string_view secret) {
  return auth::sign_compact(header_json, R"({"sub":"x"})", secret);
}

auth::Claims claims(std::string sub) {
  auth::Claims c;
  c.sub = std::move(sub);
  return c;
}

}  // namespace

TEST(Jwt, SignedTokensVerifyWithTheirClaims) {
  auto c = claims("alice");
  c.op = true;
  c.vip = true;
  c.nick = "Alice";
  c.rules = {"redcam", "noimage"};
  c.aud = {"site"};
  auto token = auth::sign_jwt(auth::refreshed(c, kNow), "secret");
  auto back = auth::verify_jwt(token, "secret", kNow + 10);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->sub, "alice");
  EXPECT_TRUE(back->op);
  EXPECT_EQ(back->nick, "Alice");
  EXPECT_EQ(back->rules, c.rules);
  EXPECT_EQ(back->aud, c.aud);
  EXPECT_EQ(*back->exp, static_cast<double>(kNow + 300));
}

TEST(Jwt, ClaimsSerializeInTheOriginalsOrder) {
  auto c = claims("bot");
  c.op = true;
  c.nick = "Bot";
  EXPECT_EQ(
      auth::claims_to_json(auth::refreshed(c, kNow)),
      R"({"op":true,"nick":"Bot","sub":"bot","exp":1800000300,"nbf":1800000000,"iat":1800000000})");
}

TEST(Jwt, RefusalsCarryTheOriginalsTexts) {
  auto expired = claims("x");
  expired.exp = kNow - 133;
  EXPECT_EQ(auth::verify_jwt(auth::sign_jwt(expired, "s"), "s", kNow).error(),
            "token is expired by 2m13s");
  auto future = claims("x");
  future.nbf = kNow + 5;
  EXPECT_EQ(auth::verify_jwt(auth::sign_jwt(future, "s"), "s", kNow).error(),
            "token is not valid yet");
  auto early = claims("x");
  early.iat = kNow + 5;
  EXPECT_EQ(auth::verify_jwt(auth::sign_jwt(early, "s"), "s", kNow).error(),
            "token used before issued");
  EXPECT_EQ(auth::verify_jwt("garbage", "s", kNow).error(),
            "token contains an invalid number of segments");
  EXPECT_EQ(auth::verify_jwt(auth::sign_jwt(claims("x"), "other"), "s", kNow).error(),
            "signature is invalid");
}

TEST(Jwt, OnlyHs256IsAccepted) {
  // Correctly HMAC-signed, so only the header's algorithm can fail them.
  EXPECT_TRUE(auth::verify_jwt(token_with_header(R"({"alg":"HS256"})", "s"), "s", kNow));
  EXPECT_EQ(auth::verify_jwt(token_with_header(R"({"alg":"none"})", "s"), "s", kNow).error(),
            "'none' signature type is not allowed");
  EXPECT_EQ(auth::verify_jwt(token_with_header(R"({"alg":"RS256"})", "s"), "s", kNow).error(),
            "signing method RS256 is not allowed");
  EXPECT_EQ(auth::verify_jwt(token_with_header(R"({"alg":"HS512"})", "s"), "s", kNow).error(),
            "signing method HS512 is not allowed");
  EXPECT_FALSE(auth::verify_jwt(token_with_header(R"({"typ":"JWT"})", "s"), "s", kNow));
}

TEST(Jwt, NothingIsValidWithAnEmptySecret) {
  EXPECT_FALSE(auth::verify_jwt(auth::sign_jwt(claims("root"), ""), "", kNow));
}

TEST(Jwt, ClaimsOfTheWrongTypeAreRefused) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"sub":"x","op":"true"})", "\"op\" must be true or false"},
      {R"({"sub":"x","exp":"123"})", "\"exp\" must be a number"},
      {R"({"sub":["x"]})", "\"sub\" must be a string"},
      {R"([1])", "the claims are not a JSON object"},
  };
  for (const auto& [payload, reason] : cases) {
    auto token = auth::sign_compact(R"({"alg":"HS256","typ":"JWT"})", payload, "s");
    EXPECT_EQ(auth::verify_jwt(token, "s", kNow).error(), reason) << payload;
  }
}

TEST(Jwt, GoDurations) {
  EXPECT_EQ(util::go_duration(45'000), "45s");
  EXPECT_EQ(util::go_duration(133'000), "2m13s");
  EXPECT_EQ(util::go_duration(3'605'000), "1h0m5s");
  EXPECT_EQ(util::go_duration(0), "0s");
}

TEST(Jwt, RulesDictionaryHasAllFiveKeysInOrder) {
  auto c = claims("x");
  c.rules = {"novideo"};
  EXPECT_EQ(
      auth::rules_dictionary_json(c),
      R"({"IsNoBroadcastRule":true,"IsNoDarkVideoRule":false,"IsNoImageRule":false,"IsNoVideoRule":true,"IsRedCamRule":false})");
}
