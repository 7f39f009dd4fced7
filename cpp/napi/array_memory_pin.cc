#include "array_memory_pin.h"

#include <v8.h>

#include <cstring>

namespace selu_napi {

void ArrayMemoryPin::add(napi_value typed_array) {
  // A napi_value is a v8::Local<v8::Value> (Node's js_native_api_v8.h converts them with this memcpy).
  v8::Local<v8::Value> value;
  static_assert(sizeof(value) == sizeof(typed_array), "napi_value and v8::Local have the same size");
  std::memcpy(static_cast<void*>(&value), &typed_array, sizeof(typed_array));
  if (value.IsEmpty() || !value->IsArrayBufferView()) return;
  stores_.push_back(value.As<v8::ArrayBufferView>()->Buffer()->GetBackingStore());
}

}  // namespace selu_napi
