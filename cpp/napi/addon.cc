// The CPU addon's entry point. NODE_API_MODULE makes it context-aware: it loads in any number of
// worker_threads. It holds no per-context state; the thread pool and dispatch table are process-wide.
#include <napi.h>

#include "bindings.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  selu_napi::register_runtime(env, exports);
  selu_napi::register_selu(env, exports);
  selu_napi::register_dropout(env, exports);
  selu_napi::register_moments(env, exports);
  selu_napi::register_half(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(selu_kernels, Init)
