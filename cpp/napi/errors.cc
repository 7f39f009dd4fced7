#include "errors.h"

namespace selu_napi {

namespace {
template <typename E>
[[noreturn]] void throw_with_code(Napi::Env env, const char* code, const std::string& message) {
  E error = E::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  throw error;
}
}  // namespace

void throw_type_error(Napi::Env env, const char* code, const std::string& message) {
  throw_with_code<Napi::TypeError>(env, code, message);
}

void throw_range_error(Napi::Env env, const char* code, const std::string& message) {
  throw_with_code<Napi::RangeError>(env, code, message);
}

}  // namespace selu_napi
