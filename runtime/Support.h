//===- Support.h - Small helpers shared by the runtime's files
//-------------===//

#ifndef TENSORC_RUNTIME_SUPPORT_H
#define TENSORC_RUNTIME_SUPPORT_H

#include "tensorc/status.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#define TC_CONCAT_IMPL(a, b) a##b
#define TC_CONCAT(a, b) TC_CONCAT_IMPL(a, b)

/// Returns the Status of `expr` from the enclosing function if it failed.
#define TC_RETURN_IF_ERROR(expr)                                               \
  do {                                                                         \
    ::tensorc::Status tcStatus_ = (expr);                                      \
    if (!tcStatus_.ok())                                                       \
      return tcStatus_;                                                        \
  } while (0)

/// `lhs = *expr`, or returns the error of `expr`.
#define TC_ASSIGN_OR_RETURN(lhs, expr)                                         \
  TC_ASSIGN_OR_RETURN_IMPL(TC_CONCAT(tcExpected_, __LINE__), lhs, expr)
#define TC_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)                               \
  auto tmp = (expr);                                                           \
  if (!tmp.ok())                                                               \
    return tmp.status();                                                       \
  lhs = std::move(*tmp)

namespace tensorc {

using detail::concat;

/// The whole file, or an error naming it and the OS reason.
Expected<std::string> readFile(const std::string &path);
/// Writes to a temporary file beside `path`, then renames it over `path`, so
/// that a reader never sees a half-written file.
Status writeFileAtomic(const std::string &path, const std::string &bytes);
/// The same for a file made of `pieces`, written one after the other (large
/// files need not be assembled in memory first).
Status writeFileAtomic(const std::string &path,
                       const std::vector<std::string_view> &pieces);
/// The directory part of `path` ("" for a bare name).
std::string parentDir(const std::string &path);

/// Overflow-checked arithmetic: false on overflow.
inline bool checkedAdd(int64_t a, int64_t b, int64_t &out) {
  return !__builtin_add_overflow(a, b, &out);
}
inline bool checkedMul(int64_t a, int64_t b, int64_t &out) {
  return !__builtin_mul_overflow(a, b, &out);
}
/// Rounds `value` up to a multiple of `align` (a power of two); false on
/// overflow.
inline bool alignUp(uint64_t value, uint64_t align, uint64_t &out) {
  if (value > UINT64_MAX - (align - 1))
    return false;
  out = (value + align - 1) & ~(align - 1);
  return true;
}

} // namespace tensorc

#endif // TENSORC_RUNTIME_SUPPORT_H
