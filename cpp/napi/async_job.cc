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
    // Not a typed array: the format code of a 16-bit entry point (unwrap has checked the rest).
    if (napi_get_typedarray_info(env, argv[i], &type, &length, nullptr, nullptr, nullptr) != napi_ok) continue;
    // Uint8Array masks, Uint16Array 16-bit data, Float32/Float64Array data.
    switch (type) {
      case napi_uint8_array: total += length; break;
      case napi_uint16_array: total += 2 * length; break;
      case napi_float32_array: total += 4 * length; break;
      default: total += 8 * length; break;
    }
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
