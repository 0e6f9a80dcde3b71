#include "http/static_handler.hpp"

#include "http/responses.hpp"
#include "util/text.hpp"

namespace http {
namespace {

// One path segment, decoded; nullopt for anything that could name another
// place than a file below /static/ (or that no built file is called).
std::optional<std::string> decode_segment(std::string_view raw) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      if (i + 2 >= raw.size()) return std::nullopt;
      const int hi = util::hex_digit(raw[i + 1]), lo = util::hex_digit(raw[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return std::nullopt;
    }
    out += c;
  }
  if (out.empty() || out == "." || out == "..") return std::nullopt;
  return out;
}

template <typename F>
void for_each_item(std::string_view list, char separator, F&& f) {
  while (true) {
    const auto end = list.find(separator);
    f(util::trim(list.substr(0, end)));
    if (end == list.npos) return;
    list.remove_prefix(end + 1);
  }
}

// A header's values joined as one list: a client may split them over lines.
std::string header_list(const net::Request& req, bhttp::field name) {
  std::string out;
  const auto [first, last] = req.equal_range(name);
  for (auto it = first; it != last; ++it) {
    if (!out.empty()) out += ',';
    out += it->value();
  }
  return out;
}

// "q=0" (or "q=0.000") among an Accept-Encoding entry's parameters.
bool refused(std::string_view params) {
  bool zero = false;
  for_each_item(params, ';', [&](std::string_view p) {
    if (p.size() >= 2 && util::ascii_lower(p[0]) == 'q' && p[1] == '=') {
      zero = p.substr(2).find_first_not_of("0.") == std::string_view::npos;
    }
  });
  return zero;
}

// gzip by name wins over "*"; neither named: identity only.
bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<bool> gzip, any;
  for_each_item(accept_encoding, ',', [&](std::string_view item) {
    const auto semi = item.find(';');
    const auto name = util::trim(item.substr(0, semi));
    const bool ok = semi == item.npos || !refused(item.substr(semi + 1));
    if (util::iequals(name, "gzip") || util::iequals(name, "x-gzip")) {
      gzip = ok;
    } else if (name == "*") {
      any = ok;
    }
  });
  return gzip.value_or(any.value_or(false));
}

// If-None-Match compares weakly: a W/ prefix does not matter.
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  bool hit = false;
  for_each_item(if_none_match, ',', [&](std::string_view tag) {
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    hit = hit || tag == "*" || tag == etag;
  });
  return hit;
}

}  // namespace

std::optional<std::string> static_key(std::string_view url_path) {
  std::string key = "static";
  while (true) {
    const auto end = url_path.find('/');
    auto segment = decode_segment(url_path.substr(0, end));
    if (!segment) return std::nullopt;
    key += '/';
    key += *segment;
    if (end == url_path.npos) return key;
    url_path.remove_prefix(end + 1);
  }
}

net::Response serve_static(const net::Request& req, const StaticFile* file) {
  if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) {
    auto res = text_response(req, bhttp::status::method_not_allowed, "Method not allowed\n");
    res.set(bhttp::field::allow, "GET, HEAD");
    return res;
  }
  if (!file) return text_response(req, bhttp::status::not_found, "404 page not found\n");
  const bool gzip = file->gzip && accepts_gzip(header_list(req, bhttp::field::accept_encoding));
  const auto& bytes = gzip ? *file->gzip : file->plain;
  net::Response res{bhttp::status::ok, req.version()};
  res.keep_alive(req.keep_alive());
  res.set(bhttp::field::content_type, file->content_type);
  res.set("X-Content-Type-Options", "nosniff");
  res.set(bhttp::field::etag, bytes.etag);
  // Revalidated on every use: the files keep their names across builds.
  res.set(bhttp::field::cache_control, "no-cache");
  // Caches must keep the two variants apart, whichever this one is.
  if (file->gzip) res.set(bhttp::field::vary, "Accept-Encoding");
  if (gzip) res.set(bhttp::field::content_encoding, "gzip");
  if (etag_matches(header_list(req, bhttp::field::if_none_match), bytes.etag)) {
    res.result(bhttp::status::not_modified);
    res.prepare_payload();
  } else if (req.method() == bhttp::verb::head) {
    res.content_length(bytes.data.size());
  } else {
    res.body() = bytes.data;
    res.prepare_payload();
  }
  return res;
}

}  // namespace http
