// SPDX-License-Identifier: MIT
#pragma once
#include <string>

#include "sim/error.hpp"

namespace snnsim::test {

/// The exact message of the snnsim::Error that `f` throws ("" when it throws nothing), for
/// asserting error messages verbatim.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace snnsim::test
