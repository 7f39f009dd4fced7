#include "async_job.h"

#include <exception>

namespace selu_napi {

AsyncJob::AsyncJob(Napi::Env env, std::function<void()> work)
    : Napi::AsyncWorker(env, "selu-kernels"), work_(std::move(work)), deferred_(Napi::Promise::Deferred::New(env)) {}

Napi::Promise AsyncJob::start(Napi::Env env, std::function<void()> work, Napi::Value result,
                              const std::vector<Napi::Value>& keep_alive) {
  auto* job = new AsyncJob(env, std::move(work));  // AsyncWorker deletes itself after OnOK/OnError
  job->result_ = Napi::Persistent(result);
  for (const Napi::Value& v : keep_alive) {
    job->keep_alive_.push_back(Napi::Persistent(v));
    job->memory_.add(v);
  }
  Napi::Promise promise = job->deferred_.Promise();
  job->Queue();
  return promise;
}

void AsyncJob::Execute() {
  try {
    work_();
  } catch (const std::exception& e) {
    SetError(e.what());
  }
}

void AsyncJob::OnOK() { deferred_.Resolve(result_.Value()); }

void AsyncJob::OnError(const Napi::Error& error) { deferred_.Reject(error.Value()); }

}  // namespace selu_napi
