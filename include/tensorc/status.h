//===- status.h - Status and Expected<T>: errors without exceptions -------===//
//
// The runtime is built with -fno-exceptions (the compiler that links it for
// the JIT follows LLVM's conventions), so every fallible call returns a Status
// or an Expected<T>. Messages say what was expected and what was given.
//
//===----------------------------------------------------------------------===//

#ifndef TENSORC_STATUS_H
#define TENSORC_STATUS_H

#include <cassert>
#include <optional>
#include <sstream>
#include <string>
#include <utility>

namespace tensorc {

namespace detail {
/// Concatenates streamable values into one message.
template <typename... Args> std::string concat(Args &&...parts) {
  std::ostringstream os;
  (os << ... << parts);
  return os.str();
}
} // namespace detail

/// Success, or an error with a message.
class [[nodiscard]] Status {
public:
  /// Success.
  Status() = default;
  static Status success() { return Status(); }
  /// An error whose message is the concatenation of `parts`.
  template <typename... Args> static Status error(Args &&...parts) {
    Status s;
    s.failed_ = true;
    s.message_ = detail::concat(std::forward<Args>(parts)...);
    return s;
  }

  bool ok() const { return !failed_; }
  const std::string &message() const { return message_; }

  /// This error with "context: " prepended; success stays success.
  Status withContext(const std::string &context) const {
    if (ok())
      return *this;
    return error(context, ": ", message_);
  }

private:
  bool failed_ = false;
  std::string message_;
};

/// A value of type T, or the error that prevented computing it.
template <typename T> class [[nodiscard]] Expected {
public:
  Expected(T value) : value_(std::move(value)) {}
  Expected(Status status) : status_(std::move(status)) {
    // A success used as an error is a bug in the caller; never return an
    // Expected that holds neither a value nor an error.
    if (status_.ok())
      status_ = Status::error("internal error: success used as an error");
  }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  /// Success when a value is held.
  const Status &status() const { return status_; }

  T &operator*() & {
    assert(ok() && "dereferencing an Expected that holds an error");
    return *value_;
  }
  const T &operator*() const & {
    assert(ok() && "dereferencing an Expected that holds an error");
    return *value_;
  }
  T &&operator*() && {
    assert(ok() && "dereferencing an Expected that holds an error");
    return std::move(*value_);
  }
  T *operator->() { return &**this; }
  const T *operator->() const { return &**this; }

private:
  std::optional<T> value_;
  Status status_;
};

} // namespace tensorc

#endif // TENSORC_STATUS_H
