# The settings every CMake project of this repository starts with (the top-level CMakeLists.txt and
# cuda/emu): C++17, position-independent code (the addons are shared modules), Release by default.
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Release)
endif()
