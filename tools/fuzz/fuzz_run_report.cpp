// SPDX-License-Identifier: MIT
// Fuzz target: the run-report reader of `snnsim report` (sim/report: read_run_report) and the
// HTML renderer on what it accepts: a report that validates must render without an exception
// other than snnsim::Error.
#include "sim/report/html_report.hpp"
#include "sim/report/run_report.hpp"
#include "tools/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace snnsim;
  static const fuzz::ScratchFile scratch("run.json");
  scratch.write(data, size);
  return fuzz::expect_clean([] {
    const nlohmann::json report = report::read_run_report(scratch.path());
    (void)report::render_html(report, {}, "fuzz");
  });
}
