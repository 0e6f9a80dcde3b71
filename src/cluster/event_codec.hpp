// The binary form of one entry of a room's event log, as the nodes of a
// cluster write it to and read it from the Redis Stream. Every node decodes
// every entry, so the encoding is compact and decoding copies nothing it does
// not keep.
//
// Layout (util/bytes.hpp: varints, zig-zag signed varints, 8-byte doubles,
// length-prefixed strings):
//
//   u64 format version (1) | u64 origin | i64 now_ms | u64 tag | body
//
// The tag is the index of the body's alternative in chat::EventBody; the
// body is its struct's fields in declaration order. Left out on purpose:
// `ClientMessage::bytes` and `Inbound::picture` (a picture is processed only
// by the node that received it; the others see the outcome as PictureReady).
//
// Decoding never trusts its input: truncated, garbled or hostile bytes
// (unknown version or tag, an enum or node ID out of range, trailing bytes)
// give an error, never a crash, and never more memory than a small multiple
// of the input's size.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "chat/event.hpp"

namespace cluster {

struct LogEntry {
  chat::NodeId origin = 0;  // the node that wrote it
  chat::Event event;        // now_ms + body
};

// Appends the encoding of `e` to `out` (callers reuse the buffer).
void encode_entry(const LogEntry& e, std::string& out);

// The error is a sentence for the log, starting "event log entry: ".
std::expected<LogEntry, std::string> decode_entry(std::string_view bytes);

}  // namespace cluster
