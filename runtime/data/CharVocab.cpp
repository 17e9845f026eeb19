//===- CharVocab.cpp - Character-level tokenizer --------------------------===//

#include "Support.h"
#include "tensorc/data.h"

#include <cstdio>

namespace tensorc {

namespace {

/// Decodes one UTF-8 sequence at `pos`; an invalid or overlong sequence,
/// a surrogate or a truncated one reads as one byte, returned as U+FFFD.
char32_t decodeUtf8(const std::string &s, size_t &pos) {
  auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  uint8_t b0 = byte(pos);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  size_t len = b0 >= 0xF0 && b0 <= 0xF4   ? 4
               : b0 >= 0xE0 && b0 <= 0xEF ? 3
               : b0 >= 0xC2 && b0 <= 0xDF ? 2
                                          : 0;
  if (len == 0 || pos + len > s.size()) {
    ++pos;
    return 0xFFFD;
  }
  char32_t c = b0 & (0x7F >> len);
  for (size_t i = 1; i < len; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) {
      ++pos;
      return 0xFFFD;
    }
    c = (c << 6) | (byte(pos + i) & 0x3F);
  }
  static const char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < kMin[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++pos;
    return 0xFFFD;
  }
  pos += len;
  return c;
}

void appendUtf8(std::string &out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string codePoint(char32_t c) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "U+%04X", static_cast<unsigned>(c));
  return buffer;
}

/// The ASCII stand-in of characters common in English texts.
char32_t fold(char32_t c) {
  switch (c) {
  case '\t':
  case 0x00A0: // no-break space
    return ' ';
  case 0x2018: // left and right single quotes, single low-9 quote, prime
  case 0x2019:
  case 0x201A:
  case 0x2032:
    return '\'';
  case 0x201C: // left and right double quotes, double low-9 quote
  case 0x201D:
  case 0x201E:
    return '"';
  case 0x2010: // hyphens and dashes, minus sign
  case 0x2011:
  case 0x2012:
  case 0x2013:
  case 0x2014:
  case 0x2015:
  case 0x2212:
    return '-';
  default:
    return c;
  }
}

} // namespace

CharVocab CharVocab::printableAscii() {
  std::string alphabet = "\n";
  for (char c = ' '; c <= '~'; ++c)
    alphabet += c;
  return *fromAlphabet(alphabet, '?');
}

Expected<CharVocab> CharVocab::fromAlphabet(const std::string &alphabet,
                                            char32_t unknown) {
  CharVocab vocab;
  for (size_t pos = 0; pos < alphabet.size();) {
    size_t at = pos;
    char32_t c = decodeUtf8(alphabet, pos);
    if (c == 0xFFFD && alphabet.compare(at, 3, "\xEF\xBF\xBD") != 0)
      return Status::error("the alphabet is not valid UTF-8 (byte ", at, ")");
    if (!vocab.ids_.emplace(c, static_cast<int32_t>(vocab.chars_.size()))
             .second)
      return Status::error("the alphabet has the character ", codePoint(c),
                           " twice");
    vocab.chars_.push_back(c);
  }
  auto it = vocab.ids_.find(unknown);
  if (it == vocab.ids_.end())
    return Status::error("the character for unknown ones (", codePoint(unknown),
                         ") is not in the alphabet");
  vocab.unknown_ = it->second;
  return vocab;
}

int32_t CharVocab::idOf(char32_t c) const {
  auto it = ids_.find(c);
  if (it == ids_.end())
    it = ids_.find(fold(c));
  return it == ids_.end() ? unknown_ : it->second;
}

std::vector<int32_t> CharVocab::encode(const std::string &text) const {
  std::vector<int32_t> ids;
  ids.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    char32_t c = decodeUtf8(text, pos);
    if (c == '\r') {
      if (pos < text.size() && text[pos] == '\n')
        ++pos;
      c = '\n';
    }
    ids.push_back(idOf(c));
  }
  return ids;
}

std::string CharVocab::decode(const std::vector<int32_t> &ids) const {
  std::string out;
  for (int32_t id : ids)
    appendUtf8(out, chars_[id]);
  return out;
}

} // namespace tensorc
