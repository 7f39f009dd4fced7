# The CPU addon, built by node-gyp at `npm install`. CMakeLists.txt builds the same sources with cmake-js.
# Each ISA variant is its own static library so that only its file gets that ISA's flags: the rest of the
# addon must run on any x86-64 CPU (no -march=native anywhere). The sources and ISA flags are listed
# once, in cpp/sources.gypi (strict JSON), which CMakeLists.txt reads too.
{
  "includes": ["cpp/sources.gypi"],
  "target_defaults": {
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions"],
    "cflags": ["-O3", "-fPIC", "-ffp-contract=off", "-fvisibility=hidden"],
    "cflags_cc": ["-std=c++17", "-fexceptions"],
    "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
    "conditions": [
      ["target_arch=='x64'", {"defines": ["SELU_KERNELS_HAVE_X86_SIMD"]}]
    ]
  },
  "targets": [
    {
      "target_name": "selu_kernels",
      "sources": ["<@(selu_kernel_sources)", "<@(selu_napi_sources)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "conditions": [
        ["target_arch=='x64'", {"dependencies": ["selu_kernels_avx2", "selu_kernels_avx512"]}],
        # The prebuilt binary must load on glibc 2.28 and need no libstdc++ newer than Node's own:
        # cpp/glibc-compat/glibc_compat.cc says how.
        ["OS=='linux' and target_arch=='x64'", {
          "dependencies": ["selu_kernels_glibc_compat"],
          "ldflags": ["-static-libstdc++", "-Wl,@<(module_root_dir)/cpp/glibc-compat/wrap-options.txt"]
        }]
      ]
    },
    {
      # Bench only (selu-bench's memory rooflines, bench/roofline.js); the library never loads it.
      "target_name": "selu_bench_native",
      "sources": ["bench/native/roofline/memory_pass.cc", "cpp/common/thread_pool.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"]
    }
  ],
  "conditions": [
    ["OS=='linux' and target_arch=='x64'", {
      "targets": [
        {
          "target_name": "selu_kernels_glibc_compat",
          "type": "static_library",
          "sources": ["cpp/glibc-compat/glibc_compat.cc"]
        }
      ]
    }],
    ["target_arch=='x64'", {
      "targets": [
        {
          "target_name": "selu_kernels_avx2",
          "type": "static_library",
          "sources": ["<@(selu_avx2_sources)"],
          "cflags": ["<@(selu_avx2_flags)"]
        },
        {
          "target_name": "selu_kernels_avx512",
          "type": "static_library",
          "sources": ["<@(selu_avx512_sources)"],
          # -Wno-(maybe-)uninitialized in the flags: GCC 12 warns about _mm512_undefined_* inside its own avx512fintrin.h.
          "cflags": ["<@(selu_avx512_flags)"]
        }
      ]
    }]
  ]
}
