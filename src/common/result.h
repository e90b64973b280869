#pragma once
// result<T>: either a value or an `error` (error.h). The return type of every decoder and
// storage operation; [[nodiscard]] so a caller cannot drop the cause of a failure.
//
//   result<event_header> h = decode_event_header(bytes);
//   if (!h) return h.error();            // propagate (converts to any result<U>)
//   use(h->event_size);
//
// Helpers: make_error(errc, fmt, args...) builds the error with a formatted message.

#include <cassert>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "common/error.h"

namespace binrelay {

template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  result(binrelay::error e) : v_(std::in_place_index<1>, std::move(e)) {}

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const binrelay::error& error() const& {
    assert(!has_value());
    return std::get<1>(v_);
  }
  binrelay::error&& error() && {
    assert(!has_value());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, binrelay::error> v_;
};

// result<void>: success or an error.
template <>
class [[nodiscard]] result<void> {
 public:
  result() = default;
  result(binrelay::error e) : e_(std::move(e)), failed_(true) {}

  bool has_value() const { return !failed_; }
  explicit operator bool() const { return has_value(); }
  const binrelay::error& error() const& {
    assert(failed_);
    return e_;
  }
  binrelay::error&& error() && {
    assert(failed_);
    return std::move(e_);
  }

 private:
  binrelay::error e_{errc::corrupt, {}};
  bool failed_ = false;
};

template <class... Args>
error make_error(errc code, fmt::format_string<Args...> f, Args&&... args) {
  return error{code, fmt::format(f, std::forward<Args>(args)...)};
}

}  // namespace binrelay
