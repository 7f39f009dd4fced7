// Whether CUDA can be used here, and why not in plain words; the device list; error mapping.
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "glue.h"

namespace selu_cuda_napi {

namespace {

constexpr int kMinMajor = 7, kMinMinor = 5;  // the oldest architecture the addon is built for (sm_75)

std::string version_string(int v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d.%d", v / 1000, (v % 1000) / 10);
  return buf;
}

// Whether the driver library (libcuda) can be loaded at all: tells "no driver" from "old driver" when
// the runtime reports cudaErrorInsufficientDriver (35), which it does in both cases.
bool driver_library_present() {
  void* h = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) return false;
  dlclose(h);
  return true;
}

Status compute_status() {
  Status s{};
  cudaRuntimeGetVersion(&s.runtime_version);
  cudaDriverGetVersion(&s.driver_version);  // 0 when no driver is installed
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  s.error = static_cast<int>(err);
  const std::string runtime = "CUDA " + version_string(s.runtime_version);
  if (err != cudaSuccess) {
    cudaGetLastError();  // clear it
    switch (err) {
      case cudaErrorInsufficientDriver:
        if (!driver_library_present() || s.driver_version == 0) {
          s.reason = "no NVIDIA driver found (libcuda.so.1 cannot be loaded): this machine has no GPU driver installed";
        } else {
          s.reason = "the NVIDIA driver is too old: it supports CUDA " + version_string(s.driver_version) +
                     ", this addon was built with " + runtime + " (update the driver)";
        }
        break;
      case cudaErrorNoDevice: {
        const char* visible = std::getenv("CUDA_VISIBLE_DEVICES");
        s.reason = "no CUDA-capable GPU found (the NVIDIA driver is installed but reports no device";
        if (visible != nullptr) s.reason += std::string("; CUDA_VISIBLE_DEVICES is \"") + visible + "\"";
        s.reason += ")";
        break;
      }
      case cudaErrorSystemDriverMismatch:
        s.reason = "the NVIDIA kernel driver and its user-space library (libcuda) have different versions: reboot or reinstall the driver";
        break;
      case cudaErrorCompatNotSupportedOnDevice:
        s.reason = "the CUDA forward-compatibility package installed here does not support this GPU";
        break;
      default:
        s.reason = std::string("CUDA initialisation failed: ") + cudaGetErrorString(err) + " (" + cudaGetErrorName(err) +
                   ", error " + std::to_string(static_cast<int>(err)) + ")";
    }
    return s;
  }
  s.device_count = count;
  if (count == 0) {
    s.reason = "no CUDA-capable GPU found";
    return s;
  }
  std::string old;
  for (int d = 0; d < count; ++d) {
    int major = 0, minor = 0;
    cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, d);
    cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, d);
    if (major > kMinMajor || (major == kMinMajor && minor >= kMinMinor)) {
      s.available = true;
      return s;
    }
    cudaDeviceProp p{};
    cudaGetDeviceProperties(&p, d);
    if (!old.empty()) old += ", ";
    old += std::string(p.name) + " (compute capability " + std::to_string(major) + "." + std::to_string(minor) + ")";
  }
  s.reason = "no supported GPU: found " + old + "; this addon needs compute capability 7.5 (Turing) or newer";
  return s;
}

}  // namespace

const Status& status() {
  static const Status s = compute_status();
  return s;
}

void throw_if_unavailable(Napi::Env env) {
  const Status& s = status();
  if (!s.available) throw_error(env, kErrUnavailable, "CUDA is not available: " + s.reason);
}

void ensure_device(Napi::Env env, int device) {
  throw_if_unavailable(env);
  if (device < 0 || device >= status().device_count) {
    throw_range_error(env, kErrOutOfRange, "device " + std::to_string(device) + " does not exist (" +
                                               std::to_string(status().device_count) + " device(s))");
  }
  int current = -1;
  if (cudaGetDevice(&current) != cudaSuccess || current != device) {
    const cudaError_t err = cudaSetDevice(device);
    if (err != cudaSuccess) throw_cuda(env, err, "cudaSetDevice");
  }
}

void throw_error(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error e = Napi::Error::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  throw e;
}

void throw_type_error(Napi::Env env, const char* code, const std::string& message) {
  Napi::TypeError e = Napi::TypeError::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  throw e;
}

void throw_range_error(Napi::Env env, const char* code, const std::string& message) {
  Napi::RangeError e = Napi::RangeError::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  throw e;
}

void throw_cuda(Napi::Env env, cudaError_t err, const char* what) {
  cudaGetLastError();  // clear a non-sticky error so that later calls can succeed
  if (err == cudaErrorMemoryAllocation) {
    size_t free_b = 0, total = 0;
    cudaMemGetInfo(&free_b, &total);
    throw_error(env, kErrOom, std::string("out of GPU memory in ") + what + " (" + std::to_string(free_b >> 20) + " MiB free of " +
                                  std::to_string(total >> 20) + " MiB): dispose() DeviceArrays you no longer need");
  }
  throw_error(env, kErrCuda, std::string("CUDA error in ") + what + ": " + cudaGetErrorString(err) + " (" +
                                 cudaGetErrorName(err) + ")");
}

Napi::Value js_status(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Status& s = status();
  Napi::Object o = Napi::Object::New(env);
  o.Set("available", s.available);
  if (!s.available) o.Set("reason", s.reason);
  o.Set("error", s.error);
  o.Set("errorName", cudaGetErrorName(static_cast<cudaError_t>(s.error)));
  o.Set("deviceCount", s.device_count);
  o.Set("driverVersion", s.driver_version);
  o.Set("runtimeVersion", s.runtime_version);
  return o;
}

Napi::Value js_devices(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Status& s = status();
  Napi::Array list = Napi::Array::New(env);
  if (s.error != 0) return list;
  for (int d = 0; d < s.device_count; ++d) {
    cudaDeviceProp p{};
    const cudaError_t err = cudaGetDeviceProperties(&p, d);
    if (err != cudaSuccess) throw_cuda(env, err, "cudaGetDeviceProperties");
    Napi::Object o = Napi::Object::New(env);
    o.Set("id", d);
    o.Set("name", p.name);
    o.Set("computeCapability", std::to_string(p.major) + "." + std::to_string(p.minor));
    o.Set("totalMemory", static_cast<double>(p.totalGlobalMem));
    o.Set("multiProcessorCount", p.multiProcessorCount);
    o.Set("supported", p.major > kMinMajor || (p.major == kMinMajor && p.minor >= kMinMinor));
    list.Set(static_cast<uint32_t>(d), o);
  }
  return list;
}

Napi::Value js_mem_info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ensure_device(env, info[0].As<Napi::Number>().Int32Value());
  size_t free_b = 0, total = 0;
  const cudaError_t err = cudaMemGetInfo(&free_b, &total);
  if (err != cudaSuccess) throw_cuda(env, err, "cudaMemGetInfo");
  Napi::Object o = Napi::Object::New(env);
  o.Set("free", static_cast<double>(free_b));
  o.Set("total", static_cast<double>(total));
  return o;
}

void set_functions(Napi::Env env, Napi::Object target, std::initializer_list<Export> functions) {
  for (const Export& f : functions) target.Set(f.name, Napi::Function::New(env, f.fn, f.name));
}

void register_runtime(Napi::Env env, Napi::Object exports) {
  set_functions(env, exports, {{"status", js_status}, {"devices", js_devices}, {"memInfo", js_mem_info}});
}

}  // namespace selu_cuda_napi
