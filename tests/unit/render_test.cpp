#include <gtest/gtest.h>

#include <random>

#include "chat/inbound.hpp"
#include "protocol/json_writer.hpp"
#include "render/markdown.hpp"
#include "util/base64.hpp"

using render::markdown_to_html;

TEST(Markdown, BasicFormatting) {
  EXPECT_EQ(markdown_to_html("hello"), "<p>hello</p>");
  EXPECT_EQ(markdown_to_html("Hello *world*"), "<p>Hello <em>world</em></p>");
  EXPECT_EQ(markdown_to_html("~~gone~~"), "<p><del>gone</del></p>");
  EXPECT_EQ(markdown_to_html("   \n\t "), "");
}

// As in the original, a single newline is a soft break: kept as a newline
// inside the paragraph (the client shows it as a space). Two trailing spaces
// or a backslash still make a hard break.
TEST(Markdown, SingleNewlineIsASoftBreak) {
  EXPECT_EQ(markdown_to_html("line one\nline two"), "<p>line one\nline two</p>");
  EXPECT_EQ(markdown_to_html("line one\r\nline two"), "<p>line one\nline two</p>");
  EXPECT_EQ(markdown_to_html("line one  \nline two"), "<p>line one<br />\nline two</p>");
  EXPECT_EQ(markdown_to_html("line one\\\nline two"), "<p>line one<br />\nline two</p>");
  EXPECT_EQ(markdown_to_html("one\n\ntwo"), "<p>one</p>\n<p>two</p>");
}

// The allow-list pass still sees whatever follows a soft break.
TEST(Markdown, SoftBreaksDoNotLetUnsafeHtmlThrough) {
  EXPECT_EQ(markdown_to_html("hi\n<script>alert(1)</script>"),
            "<p>hi</p>\n<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
  EXPECT_EQ(markdown_to_html("hi\n<img src=x onerror=alert(1)>"),
            "<p>hi\n&lt;img src=x onerror=alert(1)&gt;</p>");
  EXPECT_EQ(markdown_to_html("hi\n<div onclick=x>y</div>"),
            "<p>hi</p>\n<p>&lt;div onclick=x&gt;y&lt;/div&gt;</p>");
  EXPECT_EQ(markdown_to_html("<b>bold\nstill</b>"), "<p><b>bold\nstill</b></p>");
  EXPECT_EQ(markdown_to_html("see\n[x](javascript:alert(1))"), "<p>see\nx</p>");
}

TEST(Markdown, LinksAreNofollowAndOnlySafeSchemesSurvive) {
  EXPECT_EQ(markdown_to_html("https://example.com"),
            R"(<p><a rel="nofollow" href="https://example.com">https://example.com</a></p>)");
  EXPECT_EQ(markdown_to_html("[x](javascript:alert(1))"), "<p>x</p>");
  EXPECT_EQ(markdown_to_html("[x](JaVaScRiPt:alert(1))"), "<p>x</p>");
  EXPECT_EQ(markdown_to_html("[x](/relative)"),
            R"(<p><a rel="nofollow" href="/relative">x</a></p>)");
  EXPECT_EQ(markdown_to_html("![i](data:image/png;base64,AAAA)"), "<p>i</p>");
  EXPECT_EQ(markdown_to_html("[m](mailto:a@b.c)"),
            R"(<p><a rel="nofollow" href="mailto:a@b.c">m</a></p>)");
}

TEST(Markdown, RawHtmlIsShownAsTextUnlessItIsSimpleFormatting) {
  EXPECT_EQ(markdown_to_html("<b>bold</b> and <i>it</i>"), "<p><b>bold</b> and <i>it</i></p>");
  EXPECT_EQ(markdown_to_html("<script>alert(1)</script>"),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
  EXPECT_EQ(markdown_to_html("a <img src=x onerror=alert(1)> b"),
            "<p>a &lt;img src=x onerror=alert(1)&gt; b</p>");
  EXPECT_EQ(markdown_to_html("<b onclick=x>no</b>"), "<p>&lt;b onclick=x&gt;no</b></p>");
  EXPECT_EQ(markdown_to_html("<div>\nblock\n</div>"), "<p>&lt;div&gt;\nblock\n&lt;/div&gt;</p>");
}

// Plain text skips the parser: it must come out exactly as the parser makes it.
TEST(Markdown, PlainTextRendersAsTheParserWouldRenderIt) {
  using render::detail::markdown_to_html_parsed;
  for (std::string_view text :
       {"hello", "Zq123x4x56Zq", "it's fine, really?! yes; ok.", "two  spaces", "www.example.com",
        "see www.example.com", "WWW.example.com", "a.b.c", "A1. b", "x 1. y", "q ! [", "end "}) {
    EXPECT_EQ(markdown_to_html(text), markdown_to_html_parsed(text)) << text;
  }
  // Random strings over the plain characters, and a few that are not.
  const std::string alphabet = "aZw W.0918 ,?!';:@-*_[]<>&\"\n~#`";
  std::mt19937 rng(1);
  for (int i = 0; i < 20000; ++i) {
    std::string text(1 + rng() % 16, ' ');
    for (char& c : text) c = alphabet[rng() % (i % 2 ? alphabet.size() : 17)];
    ASSERT_EQ(markdown_to_html(text), markdown_to_html_parsed(text)) << text;
  }
}

TEST(Markdown, YoutubeLinksGetOneEmbed) {
  const auto html = chat::render_message(
      "see https://youtu.be/dQw4w9WgXcQ and https://www.youtube.com/watch?v=9bZkp7q19f0");
  EXPECT_NE(html.find(R"(src="https://www.youtube.com/embed/dQw4w9WgXcQ")"), std::string::npos);
  EXPECT_EQ(html.find("embed/9bZkp7q19f0"), std::string::npos);
  EXPECT_EQ(chat::render_message("no video here").find("iframe"), std::string::npos);
}

TEST(JsonWriter, EscapesLikeTheOriginal) {
  std::string out;
  protocol::append_json_string(out, "<a href=\"x\">&</a>\n\t\x01 \xE2\x80\xA8 é 🙂");
  EXPECT_EQ(out, R"("\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e\n\t\u0001 \u2028 é 🙂")");
}

TEST(JsonWriter, PrettyOutputMatchesGoIndent) {
  std::string out;
  protocol::JsonWriter w(out, true);
  w.begin_object().field("OK", true).key("List").begin_array().string("a").end_array();
  w.key("Empty").begin_array().end_array().end_object();
  EXPECT_EQ(out, "{\n  \"OK\": true,\n  \"List\": [\n    \"a\"\n  ],\n  \"Empty\": []\n}");
}

TEST(Base64, RoundTripsAndRejectsBadInput) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    EXPECT_EQ(util::base64_decode(util::base64_encode(s)), s);
    EXPECT_EQ(util::base64url_decode(util::base64url_encode(s)), s);
  }
  EXPECT_EQ(util::base64_encode("foobar\xff"), "Zm9vYmFy/w==");
  EXPECT_EQ(util::base64url_encode("foobar\xff"), "Zm9vYmFy_w");
  EXPECT_FALSE(util::base64_decode("Zm9v!"));
  EXPECT_FALSE(util::base64_decode("Zm9"));
  EXPECT_FALSE(util::base64url_decode("Zm9v+w"));
  EXPECT_FALSE(util::base64_decode("Zm9v!mFy"));  // a bad character in a full group
  EXPECT_FALSE(util::base64_decode("Zm=vYmFy"));  // padding inside
  EXPECT_FALSE(util::base64url_decode("Zm9vY"));  // one character left over
  EXPECT_FALSE(util::base64url_decode("Zm9vY!"));
  EXPECT_EQ(util::base64url_decode("Zm9vYmE"), "fooba");
  std::string all;
  for (int i = 0; i < 256 * 3; ++i) all.push_back(static_cast<char>(i * 7));
  EXPECT_EQ(util::base64_decode(util::base64_encode(all)), all);
}
