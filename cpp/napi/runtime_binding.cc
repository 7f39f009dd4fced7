// N-API entry points for the runtime: SIMD level in use and detected, thread pool size.
#include <utility>

#include "../common/simd_level.h"
#include "../common/thread_pool.h"
#include "bindings.h"
#include "errors.h"

namespace selu_napi {

namespace {

Napi::Value SimdLevel(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), selu::simd_level_name(selu::active_simd_level()));
}

Napi::Value DetectedSimdLevel(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), selu::simd_level_name(selu::detect_cpu_simd_level()));
}

Napi::Value Threads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), selu::ThreadPool::instance().threads());
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  double n = 0;
  if (napi_get_value_double(info.Env(), info[0], &n) != napi_ok || !(n >= 1 && n <= kMaxThreads) ||
      n != static_cast<int>(n)) {
    throw_range_error(info.Env(), "ERR_SELU_OUT_OF_RANGE", "threads must be an integer from 1 to 256");
  }
  selu::ThreadPool::instance().set_threads(static_cast<int>(n));
  return info.Env().Undefined();
}

// True for a detached ArrayBuffer; false for anything else (SharedArrayBuffers never detach).
Napi::Value IsDetached(const Napi::CallbackInfo& info) {
  bool detached = false;
  if (napi_is_detached_arraybuffer(info.Env(), info[0], &detached) != napi_ok) detached = false;
  return Napi::Boolean::New(info.Env(), detached);
}

}  // namespace

void register_runtime(Napi::Env env, Napi::Object exports) {
  using Entry = Napi::Value (*)(const Napi::CallbackInfo&);
  const std::pair<const char*, Entry> functions[] = {
      {"simdLevel", SimdLevel}, {"detectedSimdLevel", DetectedSimdLevel}, {"threads", Threads},
      {"setThreads", SetThreads}, {"isDetached", IsDetached},
  };
  for (const auto& [name, fn] : functions) exports.Set(name, Napi::Function::New(env, fn, name));
  exports.Set("maxThreads", Napi::Number::New(env, kMaxThreads));
}

}  // namespace selu_napi
