// Indenting compact JSON as the original's HTTP responses are written.
#include <gtest/gtest.h>

#include "protocol/json_indent.hpp"
#include "protocol/json_writer.hpp"

namespace {

std::string indented(std::string_view json, int depth = 0) {
  std::string out;
  protocol::append_indented(out, json, depth);
  return out;
}

TEST(JsonIndent, ObjectsArraysAndEmptyOnes) {
  EXPECT_EQ(indented(R"({"a":1,"b":[true,null],"c":{},"d":[]})"),
            "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ],\n  \"c\": {},\n  \"d\": []\n}");
  EXPECT_EQ(indented("42"), "42");
  EXPECT_EQ(indented("[]"), "[]");
}

TEST(JsonIndent, StringsAreCopiedAsTheyAre) {
  const std::string json = R"({"k:,{":"a\"b,c:{[]}\\","u":"\u003cp\u003e"})";
  EXPECT_EQ(indented(json),
            "{\n  \"k:,{\": \"a\\\"b,c:{[]}\\\\\",\n  \"u\": \"\\u003cp\\u003e\"\n}");
}

TEST(JsonIndent, NestedAtADepth) {
  EXPECT_EQ(indented(R"({"a":1})", 2), "{\n      \"a\": 1\n    }");
}

TEST(JsonIndent, APrettyWriterIndentsRawValues) {
  std::string out;
  protocol::JsonWriter w(out, true);
  w.begin_object().key("messages").begin_array();
  w.raw(R"({"action":"me","username":"a"})");
  w.end_array().end_object();
  EXPECT_EQ(out,
            "{\n  \"messages\": [\n    {\n      \"action\": \"me\",\n      \"username\": \"a\"\n"
            "    }\n  ]\n}");
}

}  // namespace
