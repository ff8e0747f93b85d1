// SPDX-License-Identifier: MIT
// Canary of the sanitizer build (SNNSIM_SANITIZE, SNNSIM_FUZZ): each mode commits one error that
// AddressSanitizer, UndefinedBehaviorSanitizer or LeakSanitizer must report, and stop on.
// CTest (tests/CMakeLists.txt) passes a mode when the report appears and fails it when the program
// gets past its error, so a build or CI environment that silently lost a sanitizer, its stop on
// the first error or leak detection fails instead of passing every test unchecked.
#include <climits>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace {

// noinline and volatile keep the optimiser (-O1 and up) from proving the errors away.
[[gnu::noinline]] int read_past_end(int n) {
  int* values = new int[static_cast<std::size_t>(n)];
  std::memset(values, 0, sizeof(int) * static_cast<std::size_t>(n));
  volatile int index = n;
  const int v = values[index];  // one past the end: heap-buffer-overflow
  delete[] values;
  return v;
}

[[gnu::noinline]] int add_past_int_max(int x) {
  volatile int big = INT_MAX;
  return big + x;  // signed-integer-overflow
}

int* volatile dropped = nullptr;

[[gnu::noinline]] void leak() {
  dropped = new int[64];
  dropped[0] = 1;
  dropped = nullptr;  // the only pointer is gone: a leak at exit
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view mode = argc > 1 ? argv[1] : "";
  int v = 0;
  if (mode == "heap-overflow") {
    v = read_past_end(4);
  } else if (mode == "signed-overflow") {
    v = add_past_int_max(argc);
  } else if (mode == "leak") {
    leak();
  } else {
    std::fprintf(stderr, "usage: %s heap-overflow|signed-overflow|leak\n", argv[0]);
    return 2;
  }
  std::printf("sanitizer canary: got past the %s error (%d)\n", argv[1], v);
  return 0;
}
