// Runs a kernel on libuv's thread pool and settles a Promise, keeping the arrays it touches alive.
#pragma once

#include <napi.h>

#include <functional>
#include <vector>

namespace selu_napi {

class AsyncJob : public Napi::AsyncWorker {
 public:
  // `work` runs off the main thread and must not touch JS values. The promise resolves to `result`.
  // Every value in `keep_alive` (the typed arrays the work reads or writes) is referenced until then.
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
};

}  // namespace selu_napi
