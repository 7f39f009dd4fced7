{
  "variables": {
    "selu_kernel_sources": [
      "cpp/common/simd_level.cc",
      "cpp/common/thread_pool.cc",
      "cpp/common/elementwise_split.cc",
      "cpp/selu/selu_scalar.cc",
      "cpp/selu/selu_dispatch.cc",
      "cpp/selu/selu_ops.cc",
      "cpp/dropout/dropout_scalar.cc",
      "cpp/dropout/dropout_dispatch.cc",
      "cpp/dropout/dropout_ops.cc",
      "cpp/moments/moments_scalar.cc",
      "cpp/moments/moments_dispatch.cc",
      "cpp/moments/moments_ops.cc",
      "cpp/half/half_scalar.cc",
      "cpp/half/half_dispatch.cc",
      "cpp/half/half_ops.cc"
    ],
    "selu_avx2_sources": ["cpp/selu/selu_avx2.cc", "cpp/dropout/dropout_avx2.cc", "cpp/moments/moments_avx2.cc", "cpp/half/half_avx2.cc"],
    "selu_avx512_sources": ["cpp/selu/selu_avx512.cc", "cpp/dropout/dropout_avx512.cc", "cpp/moments/moments_avx512.cc", "cpp/half/half_avx512.cc"],
    "selu_avx2_flags": ["-mavx2", "-mfma", "-mf16c"],
    "selu_avx512_flags": ["-mavx512f", "-mavx512dq", "-mavx512bw", "-mavx512vl", "-mavx2", "-mfma",
                          "-Wno-maybe-uninitialized", "-Wno-uninitialized"],
    "selu_napi_sources": [
      "cpp/napi/errors.cc",
      "cpp/napi/float_array_arg.cc",
      "cpp/napi/async_job.cc",
      "cpp/napi/array_memory_pin.cc",
      "cpp/napi/runtime_binding.cc",
      "cpp/napi/selu_binding.cc",
      "cpp/napi/dropout_binding.cc",
      "cpp/napi/moments_binding.cc",
      "cpp/napi/half_binding.cc",
      "cpp/napi/addon.cc"
    ]
  }
}
