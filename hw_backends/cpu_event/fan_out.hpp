// SPDX-License-Identifier: MIT
#pragma once
/// The inner loop of event-driven delivery: add the fan-out rows of a list of source events into a
/// target's input buffer. Each target element still receives the events in list order (the
/// canonical summation order), so the result is bit-identical whatever the vector width; the
/// functions are compiled for AVX-512, AVX2 and the baseline and chosen at run time.
#include <cstddef>
#include <cstdint>

namespace snnsim::hw_backends {

/// buf[o] += rows[events[e] * stride + o] for every event e in order, o in [0, n).
void accumulate_rows(float* buf, const float* rows, std::size_t stride, const std::uint32_t* events,
                     std::size_t count, std::size_t n);
void accumulate_rows(double* buf, const double* rows, std::size_t stride, const std::uint32_t* events,
                     std::size_t count, std::size_t n);

/// buf[o] += rows[events[e] * stride + o] * x[events[e]]: real-valued (graded) events.
void accumulate_scaled_rows(float* buf, const float* rows, std::size_t stride, const std::uint32_t* events,
                            const float* x, std::size_t count, std::size_t n);
void accumulate_scaled_rows(double* buf, const double* rows, std::size_t stride, const std::uint32_t* events,
                            const double* x, std::size_t count, std::size_t n);

/// buf[o] += x[o], o in [0, n).
void add_vector(float* buf, const float* x, std::size_t n);
void add_vector(double* buf, const double* x, std::size_t n);

}  // namespace snnsim::hw_backends
