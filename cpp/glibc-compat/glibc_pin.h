// SELU_PIN(sym, version): defines __wrap_<sym> as a tail jump to <sym>@<version>, whatever its signature,
// for the linker's --wrap=<sym> (see glibc_compat.cc). x86-64 only.
#pragma once

// __wrap_<sym>: a tail jump to <sym>@<version>, whatever its signature.
#define SELU_PIN(sym, version)                                                  \
  __asm__(".symver __selu_pinned_" #sym ", " #sym "@" #version "\n"             \
          ".globl __wrap_" #sym "\n.hidden __wrap_" #sym "\n"                   \
          ".type __wrap_" #sym ", @function\n"                                  \
          "__wrap_" #sym ":\n  jmp __selu_pinned_" #sym "@PLT\n"                \
          ".size __wrap_" #sym ", .-__wrap_" #sym "\n");
