// SPDX-License-Identifier: MIT
#pragma once
/// Names shared by the NIR writer and reader: the metadata keys snnsim adds to NIR nodes so that
/// a file it wrote reads back into the identical network (a file from elsewhere has none of them
/// and is read by its structure alone).
#include <string>

namespace snnsim::models::nir_layout {

/// The NIR version whose layout the writer follows (neuromorphs/NIR nir/serialization.py).
inline constexpr const char* version = "1.0.7";

// Metadata keys.
inline constexpr const char* role = "role";  // population, input_affine, tap, delay, output
inline constexpr const char* population = "population";
inline constexpr const char* population_index = "population_index";
inline constexpr const char* kind = "kind";  // input, spiking, analog
inline constexpr const char* graded = "graded";
inline constexpr const char* has_affine = "has_affine";
inline constexpr const char* lag = "lag";
inline constexpr const char* layer = "layer";
inline constexpr const char* projection = "projection";
inline constexpr const char* index = "index";
inline constexpr const char* tap = "tap";
inline constexpr const char* kernel = "kernel";
inline constexpr const char* first_offset = "first_offset";
inline constexpr const char* has_bias = "has_bias";
inline constexpr const char* connectivity = "connectivity";  // conv1d, sparse, identity
inline constexpr const char* tau_steps = "tau_steps";
inline constexpr const char* decay_input = "decay_input";
inline constexpr const char* v_threshold = "v_threshold";
inline constexpr const char* output_name = "output_name";
inline constexpr const char* dt = "dt";
inline constexpr const char* steps = "steps";
inline constexpr const char* network_name = "name";
inline constexpr const char* identity_projections = "identity_projections";  // (N, 3): name, source, target
inline constexpr const char* identity_index = "identity_index";

}  // namespace snnsim::models::nir_layout
