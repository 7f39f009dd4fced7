#include "async_job.h"

#include <cstdint>
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

size_t typed_array_bytes(napi_env env, const napi_value* argv, size_t n) {
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    napi_typedarray_type type;
    size_t length = 0;
    if (napi_get_typedarray_info(env, argv[i], &type, &length, nullptr, nullptr, nullptr) != napi_ok) return SIZE_MAX;
    // The entry points take Uint8Array masks and Float32/Float64Array data (unwrap has checked).
    total += length * (type == napi_uint8_array ? 1 : type == napi_float32_array ? 4 : 8);
  }
  return total;
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
