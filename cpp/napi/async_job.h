// Runs a kernel on libuv's thread pool and settles a Promise, keeping the arrays it touches, and
// their memory, alive until then.
#pragma once

#include <napi.h>

#include <functional>
#include <string>
#include <vector>

#include "array_memory_pin.h"
#include "sync_entry.h"

namespace selu_napi {

class AsyncJob : public Napi::AsyncWorker {
 public:
  // `work` runs off the main thread and must not touch JS values. The promise resolves to `result`.
  // Every value in `keep_alive` (the typed arrays the work reads or writes) is referenced until then,
  // and its memory pinned: a transfer of its ArrayBuffer meanwhile cannot free it under the work
  // (lib/ then rejects the call with ERR_SELU_DETACHED).
  static Napi::Promise start(Napi::Env env, std::function<void()> work, Napi::Value result,
                             const std::vector<Napi::Value>& keep_alive);

 protected:
  void Execute() override;
  void OnOK() override;
  void OnError(const Napi::Error& error) override;

 private:
  AsyncJob(Napi::Env env, std::function<void()> work);

  std::function<void()> work_;
  Napi::Promise::Deferred deferred_;
  Napi::Reference<Napi::Value> result_;
  std::vector<Napi::Reference<Napi::Value>> keep_alive_;
  ArrayMemoryPin memory_;
};

// Handing a job to libuv's pool costs the main thread ~5 µs (the job, the queue, waking a thread,
// settling); a job touching at most this many bytes computes in less, so it runs on the calling
// thread and its promise is settled at once: a few thousand elements at ~0.5 ns each.
constexpr size_t kInlineJobBytes = 32 * 1024;

// Bytes of the typed arrays among argv[0 .. n) (already checked by unwrap; a format code counts 0).
size_t typed_array_bytes(napi_env env, const napi_value* argv, size_t n);

// The async form of a sync_entry Call: same unwrap, the work on libuv's pool (or inline when small),
// the first kArrays arguments (the arrays the work touches) kept alive until the promise settles.
template <typename Call, size_t kArrays>
Napi::Value async_entry(const Napi::CallbackInfo& info) {
  napi_value argv[kMaxArgs];
  for (size_t i = 0; i < kMaxArgs; ++i) argv[i] = info[i];
  Call call;
  if (!Call::unwrap(info.Env(), argv, &call)) throw Napi::Error::New(info.Env());
  if (typed_array_bytes(info.Env(), argv, kArrays) <= kInlineJobBytes) {
    call.run();
    Napi::Promise::Deferred done = Napi::Promise::Deferred::New(info.Env());
    done.Resolve(info[Call::kResultArg]);
    return done.Promise();
  }
  std::vector<Napi::Value> arrays;
  for (size_t i = 0; i < kArrays; ++i)
    if (info[i].IsObject()) arrays.push_back(info[i]);  // not the format code of a 16-bit entry point
  return AsyncJob::start(info.Env(), [call] { call.run(); }, info[Call::kResultArg], arrays);
}

// Exports a Call as `name` (sync_entry) and as `name`Async (async_entry, keeping the first kArrays
// arguments alive until its promise settles).
template <typename Call, size_t kArrays>
void export_op(Napi::Env env, Napi::Object exports, const char* name) {
  exports.Set(name, Napi::Function(env, make_function(env, name, sync_entry<Call>)));
  const std::string async_name = std::string(name) + "Async";
  exports.Set(async_name, Napi::Function::New(env, async_entry<Call, kArrays>, async_name));
}

}  // namespace selu_napi
