# What every CMake build of the kernels shares (CMakeLists.txt, bench/native/CMakeLists.txt).
#
# The project defaults (C++17, PIC, Release: cmake/project_defaults.cmake), and -ffp-contract=off, since
# the SELU maths counts every rounding as written (no product may be fused into an FMA behind its back).
include(${CMAKE_CURRENT_LIST_DIR}/../cmake/project_defaults.cmake)
add_compile_options(-O3 -ffp-contract=off)

# The sources and ISA flags of cpp/sources.gypi (strict JSON, the list binding.gyp includes) as CMake
# lists: after include(), SELU_KERNEL_SOURCES,
# SELU_AVX2_SOURCES, SELU_AVX512_SOURCES, SELU_AVX2_FLAGS, SELU_AVX512_FLAGS and SELU_NAPI_SOURCES hold
# the paths (relative to the repository root) and flags. SELU_SOURCES_GYPI, when set, names another
# checkout's sources.gypi (bench/native compares before and after).
if(NOT SELU_SOURCES_GYPI)
  set(SELU_SOURCES_GYPI ${CMAKE_CURRENT_LIST_DIR}/sources.gypi)
endif()
file(READ ${SELU_SOURCES_GYPI} SELU_SOURCES_JSON)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${SELU_SOURCES_GYPI})
function(selu_sources_list out key)
  string(JSON count LENGTH "${SELU_SOURCES_JSON}" variables ${key})
  math(EXPR last "${count} - 1")
  set(items)
  foreach(i RANGE ${last})
    string(JSON item GET "${SELU_SOURCES_JSON}" variables ${key} ${i})
    list(APPEND items ${item})
  endforeach()
  set(${out} ${items} PARENT_SCOPE)
endfunction()
selu_sources_list(SELU_KERNEL_SOURCES selu_kernel_sources)
selu_sources_list(SELU_AVX2_SOURCES selu_avx2_sources)
selu_sources_list(SELU_AVX512_SOURCES selu_avx512_sources)
selu_sources_list(SELU_AVX2_FLAGS selu_avx2_flags)
selu_sources_list(SELU_AVX512_FLAGS selu_avx512_flags)
selu_sources_list(SELU_NAPI_SOURCES selu_napi_sources)
