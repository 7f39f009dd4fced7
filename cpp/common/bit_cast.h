// The bits of a value as another type of the same size (C++20's std::bit_cast, through memcpy: no
// type punning through pointers).
#pragma once

#include <cstring>

namespace selu {

template <typename To, typename From>
inline To bit_cast(const From& from) {
  static_assert(sizeof(To) == sizeof(From), "bit_cast between types of different sizes");
  To to;
  std::memcpy(&to, &from, sizeof to);
  return to;
}

}  // namespace selu
