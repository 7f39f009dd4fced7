// selu_bench_native: the memory passes selu-bench measures its "% of roofline" against (bench only;
// the library never loads it). Each pass moves a whole array once, split into one contiguous piece
// per thread on a pool like the library's, so that a kernel on T threads is compared with what T
// threads of plain data movement achieve on the same sizes:
//
//   memoryPass('copy',  dst, src, threads, 'regular' | 'stream')  dst ← src (memcpy, or 32-byte
//                                                                 loads with non-temporal stores)
//   memoryPass('write', dst, null, threads, 'regular' | 'stream') dst ← 0 (memset, or non-temporal)
//   memoryPass('read',  null, src, threads)                        a sum of src's 64-bit words,
//                                                                 returned so the pass is not elided
//
// dst and src are typed arrays of the same byte length (either may be null where unused). selu-bench
// takes the faster of the two store kinds: plain stores win in cache, non-temporal ones out of it.
#include <napi.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "../../../cpp/common/thread_pool.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define SELU_BENCH_X86 1
#endif

namespace {

#ifdef SELU_BENCH_X86
bool has_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
}

// Non-temporal copy of n bytes, dst 32-byte aligned by a memcpy head; the tail by memcpy too.
__attribute__((target("avx2"))) void stream_copy_avx2(uint8_t* dst, const uint8_t* src, size_t n) {
  size_t head = (32 - reinterpret_cast<uintptr_t>(dst) % 32) % 32;
  if (head > n) head = n;
  std::memcpy(dst, src, head);
  size_t i = head;
  for (; i + 128 <= n; i += 128) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i + 32));
    const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i + 64));
    const __m256i d = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i + 96));
    _mm256_stream_si256(reinterpret_cast<__m256i*>(dst + i), a);
    _mm256_stream_si256(reinterpret_cast<__m256i*>(dst + i + 32), b);
    _mm256_stream_si256(reinterpret_cast<__m256i*>(dst + i + 64), c);
    _mm256_stream_si256(reinterpret_cast<__m256i*>(dst + i + 96), d);
  }
  std::memcpy(dst + i, src + i, n - i);
  _mm_sfence();
}

__attribute__((target("avx2"))) void stream_zero_avx2(uint8_t* dst, size_t n) {
  size_t head = (32 - reinterpret_cast<uintptr_t>(dst) % 32) % 32;
  if (head > n) head = n;
  std::memset(dst, 0, head);
  size_t i = head;
  const __m256i z = _mm256_setzero_si256();
  for (; i + 128 <= n; i += 128) {
    _mm256_stream_si256(reinterpret_cast<__m256i*>(dst + i), z);
    _mm256_stream_si256(reinterpret_cast<__m256i*>(dst + i + 32), z);
    _mm256_stream_si256(reinterpret_cast<__m256i*>(dst + i + 64), z);
    _mm256_stream_si256(reinterpret_cast<__m256i*>(dst + i + 96), z);
  }
  std::memset(dst + i, 0, n - i);
  _mm_sfence();
}

// Four independent accumulators: the loop is bound by loads, not by the adds' latency.
__attribute__((target("avx2"))) uint64_t sum_avx2(const uint8_t* src, size_t n) {
  __m256i a = _mm256_setzero_si256(), b = a, c = a, d = a;
  size_t i = 0;
  for (; i + 128 <= n; i += 128) {
    a = _mm256_add_epi64(a, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i)));
    b = _mm256_add_epi64(b, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i + 32)));
    c = _mm256_add_epi64(c, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i + 64)));
    d = _mm256_add_epi64(d, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i + 96)));
  }
  alignas(32) uint64_t lanes[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), _mm256_add_epi64(_mm256_add_epi64(a, b), _mm256_add_epi64(c, d)));
  uint64_t s = lanes[0] + lanes[1] + lanes[2] + lanes[3];
  for (; i < n; ++i) s += src[i];
  return s;
}
#endif

void stream_copy(uint8_t* dst, const uint8_t* src, size_t n) {
#ifdef SELU_BENCH_X86
  if (has_avx2()) return stream_copy_avx2(dst, src, n);
#endif
  std::memcpy(dst, src, n);
}

void stream_zero(uint8_t* dst, size_t n) {
#ifdef SELU_BENCH_X86
  if (has_avx2()) return stream_zero_avx2(dst, n);
#endif
  std::memset(dst, 0, n);
}

uint64_t sum_words(const uint8_t* src, size_t n) {
#ifdef SELU_BENCH_X86
  if (has_avx2()) return sum_avx2(src, n);
#endif
  uint64_t s = 0;
  for (size_t i = 0; i < n; ++i) s += src[i];
  return s;
}

struct Bytes {
  uint8_t* data = nullptr;
  size_t length = 0;
};

Bytes bytes_of(const Napi::Value& v, const char* name) {
  if (v.IsNull() || v.IsUndefined()) return {};
  if (!v.IsTypedArray()) throw Napi::TypeError::New(v.Env(), std::string(name) + " must be a typed array or null");
  const Napi::TypedArray a = v.As<Napi::TypedArray>();
  return {static_cast<uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset(), a.ByteLength()};
}

Napi::Value MemoryPass(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const std::string kind = info[0].ToString();
  const Bytes dst = bytes_of(info[1], "dst"), src = bytes_of(info[2], "src");
  const int threads = info[3].IsNumber() ? info[3].As<Napi::Number>().Int32Value() : 1;
  const bool stream = info[4].IsString() && info[4].ToString().Utf8Value() == "stream";
  if (threads < 1 || threads > 1024) throw Napi::RangeError::New(env, "threads must be 1 to 1024");
  const bool copy = kind == "copy", read = kind == "read", write = kind == "write";
  if (!copy && !read && !write) throw Napi::TypeError::New(env, "kind must be 'copy', 'read' or 'write'");
  if ((copy || write) && !dst.data) throw Napi::TypeError::New(env, "dst is required for " + kind);
  if ((copy || read) && !src.data) throw Napi::TypeError::New(env, "src is required for " + kind);
  if (copy && dst.length != src.length) throw Napi::RangeError::New(env, "dst and src must have the same byte length");
  const size_t n = read ? src.length : dst.length;

  selu::ThreadPool& pool = selu::ThreadPool::instance();
  if (pool.threads() != threads) pool.set_threads(threads);
  // One piece per thread, 4 KiB-aligned boundaries (a page: no piece shares a cache line with another).
  size_t piece = (n + threads - 1) / threads;
  piece = (piece + 4095) / 4096 * 4096;
  uint64_t sums[1024] = {};
  selu::parallel_for(n, piece, [&](size_t b, size_t e) {
    if (copy) {
      if (stream) stream_copy(dst.data + b, src.data + b, e - b);
      else std::memcpy(dst.data + b, src.data + b, e - b);
    } else if (write) {
      if (stream) stream_zero(dst.data + b, e - b);
      else std::memset(dst.data + b, 0, e - b);
    } else {
      sums[b / piece] = sum_words(src.data + b, e - b);
    }
  });
  uint64_t s = 0;
  for (int t = 0; t < threads; ++t) s += sums[t];
  return Napi::Number::New(env, static_cast<double>(s));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("memoryPass", Napi::Function::New(env, MemoryPass, "memoryPass"));
  exports.Set("threadsAvailable", Napi::Number::New(env, std::thread::hardware_concurrency()));
  return exports;
}

}  // namespace

NODE_API_MODULE(selu_bench_native, Init)
