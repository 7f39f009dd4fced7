// JS errors thrown by the glue. Every error carries a stable `code`; lib/errors.ts documents them.
// The TypeScript layer validates arguments with full messages first; these checks keep the addon
// memory-safe when it is called some other way.
#pragma once

#include <napi.h>

namespace selu_napi {

[[noreturn]] void throw_type_error(Napi::Env env, const char* code, const std::string& message);
[[noreturn]] void throw_range_error(Napi::Env env, const char* code, const std::string& message);

}  // namespace selu_napi
