#include "chat/message_filters.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>

namespace chat {

struct MessageFilters::AnyPattern {
  re2::RE2::Set set;
};

namespace {

// Marks the bytes of every match of `re` in `text`; returns whether there was
// one. An empty match marks nothing and moves on.
bool mark_matches(const re2::RE2& re, std::string_view text, std::vector<bool>& marked) {
  bool found = false;
  size_t pos = 0;
  re2::StringPiece match;
  while (pos <= text.size() && re.Match(text, pos, text.size(), re2::RE2::UNANCHORED, &match, 1)) {
    found = true;
    const size_t at = static_cast<size_t>(match.data() - text.data());
    std::fill_n(marked.begin() + static_cast<ptrdiff_t>(at), match.size(), true);
    pos = at + std::max<size_t>(match.size(), 1);
  }
  return found;
}

// Each marked byte becomes a '*', escaped so that Markdown shows it as it is
// (the text is rendered after: "**darn**" stays bold, its letters starred).
std::string censored(std::string_view text, const std::vector<bool>& marked) {
  std::string out;
  out.reserve(text.size() * 2);
  for (size_t i = 0; i < text.size(); ++i) {
    if (marked[i]) {
      out += "\\*";
    } else {
      out += text[i];
    }
  }
  return out;
}

std::unique_ptr<re2::RE2> compile(const std::string& pattern) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  return std::make_unique<re2::RE2>(pattern, options);
}

}  // namespace

MessageFilters::MessageFilters(const std::vector<config::MessageFilter>& filters) {
  for (const auto& f : filters) {
    if (!f.enabled) continue;
    Compiled c{f, {}};
    for (const auto& p : f.keyword_phrases) {
      auto re = compile(p);
      if (re->ok()) c.patterns.push_back(std::move(re));
    }
    if (!c.patterns.empty()) filters_.push_back(std::move(c));
  }
  build_any();
}

void MessageFilters::build_any() {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto any = std::make_unique<AnyPattern>(re2::RE2::Set(options, re2::RE2::UNANCHORED));
  for (const auto& f : filters_) {
    for (const auto& re : f.patterns) {
      if (any->set.Add(re->pattern(), nullptr) < 0) return;  // no shortcut then
    }
  }
  if (any->set.Compile()) any_ = std::move(any);
}

bool MessageFilters::none_can_match(std::string_view text) const {
  if (!any_) return false;
  std::vector<int> hits;
  re2::RE2::Set::ErrorInfo error;
  const bool matched = any_->set.Match(text, &hits, &error);
  return !matched && error.kind == re2::RE2::Set::kNoError;
}

MessageFilters::MessageFilters() = default;
MessageFilters::~MessageFilters() = default;
MessageFilters::MessageFilters(MessageFilters&&) noexcept = default;
MessageFilters& MessageFilters::operator=(MessageFilters&&) noexcept = default;

std::optional<MessageFilters::Hit> MessageFilters::match(std::string_view text, bool direct) const {
  if (filters_.empty() || none_can_match(text)) return std::nullopt;
  for (const auto& f : filters_) {
    if (direct ? !f.settings.private_channels : !f.settings.public_channels) continue;
    std::vector<bool> marked(text.size(), false);
    bool found = false;
    for (const auto& re : f.patterns) found |= mark_matches(*re, text, marked);
    if (!found) continue;
    return Hit{&f.settings, f.settings.censor_message ? censored(text, marked) : std::string(text)};
  }
  return std::nullopt;
}

}  // namespace chat
