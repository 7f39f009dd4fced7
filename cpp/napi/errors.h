// JS errors thrown by the glue. Every error carries a stable `code`; lib/errors.ts documents them.
// The TypeScript layer validates arguments with full messages first; these checks keep the addon
// memory-safe when it is called some other way.
#pragma once

#include <napi.h>

#include <string>

namespace selu_napi {

// Plain Node-API: leave a pending TypeError/RangeError with `code` (and `argument`, when given) and
// return false.
bool fail_type_error(napi_env env, const char* code, const std::string& message, const char* argument = nullptr);
bool fail_range_error(napi_env env, const char* code, const std::string& message, const char* argument = nullptr);

// node-addon-api: throw it as a C++ exception (mapped to the JS error by node-addon-api).
[[noreturn]] void throw_type_error(Napi::Env env, const char* code, const std::string& message);
[[noreturn]] void throw_range_error(Napi::Env env, const char* code, const std::string& message);

}  // namespace selu_napi
