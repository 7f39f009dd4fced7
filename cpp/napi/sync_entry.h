// Synchronous entry points in plain Node-API.
//
// At N = 1 the whole call must cost under 0.3 µs and Node 20's per-call machinery is most of that,
// so the synchronous functions skip node-addon-api's wrappers: `Call` unwraps its arguments with the
// read_* checks (a failed check leaves a pending JS exception) and `run()` does the work.
#pragma once

#include <node_api.h>

namespace selu_napi {

constexpr size_t kMaxArgs = 13;  // the longest call (seluAlphaDropout16) takes 13

// Call: a struct with `static bool unwrap(napi_env, const napi_value* argv, Call*)`, `void run() const`
// and `static constexpr size_t kResultArg` (the argument returned, the output array).
template <typename Call>
napi_value sync_entry(napi_env env, napi_callback_info info) {
  size_t argc = kMaxArgs;
  napi_value argv[kMaxArgs];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return nullptr;
  // Missing arguments read as undefined (napi_get_cb_info fills them), so unwrap rejects them.
  Call call;
  if (!Call::unwrap(env, argv, &call)) return nullptr;
  call.run();
  return argv[Call::kResultArg];
}

// A JS function for a plain Node-API callback (throws the pending error through node-addon-api on failure).
napi_value make_function(napi_env env, const char* name, napi_callback cb);

}  // namespace selu_napi
