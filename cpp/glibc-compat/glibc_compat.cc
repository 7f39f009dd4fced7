// Lets the prebuilt addons, built on a newer glibc, load on glibc 2.28 (RHEL 8, Debian 10, Ubuntu 20.04).
// Linked into the addons with -static-libstdc++ (so they need no libstdc++ newer than Node's own) and
// the linker options in wrap-options.txt. test/release/glibc-symbols.test.ts checks the result.
//
// A symbol the linker would bind to a version newer than 2.28 is handled in one of two ways:
// - pinned to its old version: `--wrap=sym` sends every reference to __wrap_sym, defined below as a jump
//   to sym@<old version>. glibc keeps those old versions (2.34 moved pthread_* from libpthread into libc
//   and left the GLIBC_2.2.5 ones as aliases); on glibc < 2.34 they are found in libpthread.so.0, which
//   the addon lists as NEEDED (wrap-options.txt; an empty stub on glibc >= 2.34).
// - defined here (hidden, so only this addon sees it) where no old version exists.
#include <sys/random.h>  // getrandom: glibc 2.25

#include <cerrno>
#include <cstdint>

#include "glibc_pin.h"

extern "C" {

// libstdc++ (GCC >= 11) reads this to skip atomics in a single-threaded process; glibc < 2.32 has no
// such variable. 0 means "maybe multi-threaded", which is always correct (the addon starts threads).
__attribute__((visibility("hidden"))) char __libc_single_threaded = 0;

// std::random_device in the static libstdc++ calls arc4random (glibc 2.36). The addon never uses
// std::random_device (the dropout stream is Philox, seeded by the caller), but the linker keeps the
// reference; this equivalent uses getrandom.
__attribute__((visibility("hidden"))) uint32_t arc4random(void) {
  uint32_t value = 0;
  unsigned char* p = reinterpret_cast<unsigned char*>(&value);
  size_t got = 0;
  while (got < sizeof value) {
    ssize_t n = getrandom(p + got, sizeof value - got, 0);
    if (n > 0) got += static_cast<size_t>(n);
    else if (errno != EINTR) break;
  }
  return value;
}

}  // extern "C"

// One line here per --wrap in wrap-options.txt.
SELU_PIN(exp, GLIBC_2.2.5)
SELU_PIN(pthread_create, GLIBC_2.2.5)
SELU_PIN(pthread_join, GLIBC_2.2.5)
SELU_PIN(pthread_detach, GLIBC_2.2.5)
SELU_PIN(pthread_once, GLIBC_2.2.5)
SELU_PIN(pthread_key_create, GLIBC_2.2.5)
SELU_PIN(__pthread_key_create, GLIBC_2.2.5)
SELU_PIN(pthread_key_delete, GLIBC_2.2.5)
SELU_PIN(pthread_getspecific, GLIBC_2.2.5)
SELU_PIN(pthread_setspecific, GLIBC_2.2.5)
