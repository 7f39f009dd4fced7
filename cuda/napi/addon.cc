// Entry point of the CUDA addon, selu_kernels_cuda.node. It is loaded lazily by lib/cuda/binding.ts on
// the first GPU use and never by the CPU addon. It links the CUDA runtime statically and never links
// libcuda: on a machine without a driver it still loads, and status() says why CUDA is unavailable.
// Context-aware (NODE_API_MODULE): every worker_thread gets its own instance data.
#include <napi.h>

#include "glue.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  using namespace selu_cuda_napi;
  init_instance(env, exports);
  for (auto register_part : {register_runtime, register_memory, register_ops, register_bench}) {
    register_part(env, exports);
  }
  return exports;
}

}  // namespace

NODE_API_MODULE(selu_kernels_cuda, Init)
