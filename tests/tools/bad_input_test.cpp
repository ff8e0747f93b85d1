// SPDX-License-Identifier: MIT
// Bad input never crashes snnsim: every loader (golden-layout model and its golden data, IDX,
// Brian2-layout network, NIR, TOML experiment, energy table, Loihi chip file, run report) and every
// command (run, verify, export, report, bench, bench lmuformer, list) is fed hand-made
// bad inputs - zero-length, truncated and non-HDF5 files, wrong HDF5 types and shapes, NaN and
// infinite weights, negative and huge sizes, missing fields, unknown names - and must answer with
// exactly one line "snnsim: SOURCE: FIELD: expected X, got Y", exit status 2, and no output file.
// The files come from bad_inputs.py (h5py), each a good file with one defect.
#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "models/network_io.hpp"
#include "tests/support/cli.hpp"
#include "tests/support/lmuformer_file.hpp"
#include "tests/support/registries.hpp"

namespace fs = std::filesystem;
using snnsim::test::CliResult;
using snnsim::test::run_cli;

namespace {

/// The bad files, written once for all cases.
struct BadFiles {
  snnsim::test::TempDir dir{"bad-input"};
  fs::path model = dir / "model.h5";
  BadFiles() {
    snnsim::test::write_lmuformer_file(model, {});
    const std::string cmd = "/usr/bin/python3 " + std::string(SNNSIM_SOURCE_DIR) + "/tests/tools/bad_inputs.py " +
                            dir.path().string() + " " + model.string() + " " + snnsim::test::shared_dir() +
                            "/peers/brian2/ff.h5";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("bad_inputs.py failed");
    write_idx_folders();
  }
  std::string operator()(const std::string& name) const { return (dir / name).string(); }

  /// Fashion-MNIST-shaped IDX folders, each with one defect in its images or labels.
  void write_idx_folders() const {
    const std::string images = idx({3, 28, 28}, std::string(3 * 784, '\x10'));
    const std::string labels = idx({3}, std::string("\x01\x02\x03", 3));
    idx_folder("idx_empty", "", labels);
    idx_folder("idx_truncated", images.substr(0, 1000), labels);
    idx_folder("idx_magic", std::string("\x00\x00\x0d\x03", 4) + images.substr(4), labels);
    idx_folder("idx_huge", idx({0xffffffffu, 28, 28}, ""), labels);
    idx_folder("idx_label", images, idx({3}, std::string("\x01\x0c\x03", 3)));
    idx_folder("idx_count", images, idx({2}, std::string("\x01\x02", 2)));
  }
  static std::string idx(const std::vector<std::uint32_t>& dims, const std::string& data) {
    std::string s = {'\0', '\0', '\x08', static_cast<char>(dims.size())};
    for (const std::uint32_t d : dims)
      for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((d >> shift) & 0xff);
    return s + data;
  }
  void idx_folder(const std::string& name, const std::string& images, const std::string& labels) const {
    fs::create_directories(dir / name);
    gz(dir / name / "t10k-images-idx3-ubyte.gz", images);
    gz(dir / name / "t10k-labels-idx1-ubyte.gz", labels);
  }
  static void gz(const fs::path& path, const std::string& bytes) {
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
  }
};

const BadFiles& files() {
  static const BadFiles f;
  return f;
}

std::string importer_names() {
  snnsim::models::ImporterRegistry importers{"network format"};
  snnsim::models::register_builtin_importers(importers);
  return importers.joined_names();
}

struct Case {
  std::string args;   ///< {NAME} is replaced by the bad file's path
  std::string error;  ///< the line after "snnsim: ", {NAME} likewise
};

std::string expand(std::string s) {
  for (std::size_t open = s.find('{'); open != std::string::npos; open = s.find('{', open)) {
    const std::size_t close = s.find('}', open);
    const std::string path = files()(s.substr(open + 1, close - open - 1));
    s.replace(open, close - open + 1, path);
    open += path.size();
  }
  return s;
}

/// Runs every case in a folder of its own (so that "no output file" is checkable).
void check_cases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    const snnsim::test::TempDir out("bad-out");
    const std::string args = expand(c.args);
    const CliResult r = run_cli(args + " ", "cd " + out.path().string() + " &&");
    CAPTURE(args);
    CHECK(r.status == 2);
    CHECK(r.err == "snnsim: " + expand(c.error) + "\n");
    CHECK(out.entries().empty());
  }
}

}  // namespace

TEST_CASE("golden-layout model files: one-line errors with exit status 2 (run, verify, export)") {
  const std::string bad_model = "expected a readable HDF5 file, got ";
  check_cases({
      {"run --first 1 --model {empty.h5}", "{empty.h5}: " + bad_model + "a file that is not HDF5"},
      {"run --first 1 --model {text.h5}", "{text.h5}: " + bad_model + "a file that is not HDF5"},
      {"run --first 1 --model {truncated.h5}", "{truncated.h5}: " + bad_model + "a truncated or damaged HDF5 file"},
      {"run --first 1 --model {idx_empty}", "{idx_empty}: " + bad_model + "a folder"},
      {"run --first 1 --model {model_nan.h5}", "{model_nan.h5}: /weights/head.weight: expected finite values, got nan at index 3"},
      {"verify --model {model_inf.h5}", "{model_inf.h5}: /weights/head.weight: expected finite values, got -inf at index 5"},
      {"run --first 1 --model {model_shape.h5}",
       "{model_shape.h5}: /weights/head.weight: expected shape [10, 16], got shape [10, 17]"},
      {"run --first 1 --model {model_string_weight.h5}",
       "{model_string_weight.h5}: /weights/head.weight: expected a numeric dataset, got a string dataset"},
      {"export --format nir -o out.nir --model {model_missing_weight.h5}",
       "{model_missing_weight.h5}: /weights/head.bias: expected a dataset of shape [10], got nothing"},
      {"run --first 1 --model {model_no_config.h5}",
       "{model_no_config.h5}: config_json: expected a JSON attribute on the root group, got nothing"},
      {"run --first 1 --model {model_bad_json.h5}",
       "{model_bad_json.h5}: config_json: expected valid JSON, got a parse error at byte 23"},
      {"run --first 1 --model {model_negative_steps.h5}",
       "{model_negative_steps.h5}: config_json: data.steps: expected a positive integer, got -3"},
      {"run --first 1 --model {model_missing_features.h5}",
       "{model_missing_features.h5}: config_json: data.features: expected a positive integer, got nothing"},
      {"run --first 1 --model {model_missing_neuron.h5}",
       "{model_missing_neuron.h5}: config_json: neurons.head_lif: expected LIF parameters (tau, v_threshold, v_reset, "
       "decay_input), got nothing"},
      {"run --first 1 --model {model_string_tau.h5}",
       "{model_string_tau.h5}: config_json: neurons.head_lif.tau: expected a number, got \"two\""},
      {"run --first 1 --model {model_huge.h5}",
       "{model_huge.h5}: /weights/patch_embed.proj_bn.running_mean: expected shape [1048576], got shape [16]"},
  });
}

TEST_CASE("the memory limit refuses declared sizes before allocating, naming the size needed") {
  check_cases({
      {"--max-memory 1K run --first 1 --model {model.h5}",
       "{model.h5}: /weights/patch_embed.proj_conv.weight: expected at most 1024 bytes, got 5376 bytes"},
      {"--max-memory 1M run --first 1 --network {net_huge_steps.h5}",
       "{net_huge_steps.h5}: /@steps: expected at most 1048576 bytes (the memory limit; see --max-memory), got "
       "671036344478363904 bytes to simulate one trial"},
      {"--max-memory 100K run --first 1 --network {net_huge_steps.h5}",
       "{net_huge_steps.h5}: /populations/input/spike_neuron: expected at most 102400 bytes, got 160096 bytes"},
      {"run --first 1 --data {idx_huge}",
       "{idx_huge}/t10k-images-idx3-ubyte.gz: dims: expected at most 1073741824 bytes of data, got 3367254359280 bytes"},
      {"--max-memory lots list", "command line: --max-memory: expected a memory size such as 4G, 512M or 1048576 "
                                 "bytes, got 'lots'"},
  });
  // The environment variable is the default of --max-memory.
  const std::string model = files()("model.h5");
  const CliResult env = run_cli("run --first 1 --model " + model, "SNNSIM_MAX_MEMORY=2K");
  CHECK(env.status == 2);
  CHECK(env.err == "snnsim: " + model + ": /weights/patch_embed.proj_conv.weight: expected at most 2048 bytes, got 5376 bytes\n");
  const CliResult zero = run_cli("run --first 1 --model " + model, "SNNSIM_MAX_MEMORY=0");
  CHECK(zero.status == 2);
  CHECK(zero.err == "snnsim: environment: SNNSIM_MAX_MEMORY: expected a memory size such as 4G, 512M or 1048576 bytes, "
                    "got '0'\n");
}

TEST_CASE("IDX data folders: one-line errors with exit status 2") {
  const std::string images = "/t10k-images-idx3-ubyte.gz: ";
  const std::string labels = "/t10k-labels-idx1-ubyte.gz: ";
  check_cases({
      {"run --first 1 --data {idx_empty}", "{idx_empty}" + images + "magic: expected 4 bytes, got 0 bytes"},
      {"run --first 2 --data {idx_truncated}", "{idx_truncated}" + images + "data: expected 1568 bytes, got 984 bytes"},
      {"run --first 1 --data {idx_magic}",
       "{idx_magic}" + images + "magic: expected 0x00000803 (unsigned byte, 3 dimensions), got 0x00000d03"},
      {"run --data {idx_label}", "{idx_label}" + labels + "data[1]: expected a class 0..9, got 12"},
      {"run --data {idx_count}", "{idx_count}" + labels + "dims[0]: expected 3 (the number of images), got 2"},
  });
}

TEST_CASE("Brian2-layout network files: one-line errors with exit status 2 (run, bench, export)") {
  check_cases({
      {"run --network {net_unknown_model.h5}",
       "{net_unknown_model.h5}: /populations/L1@model: expected one of the neuron models " +
           snnsim::test::registries().neurons.joined_names() + ", got 'hodgkin_huxley'"},
      {"run --network {net_negative_size.h5}",
       "{net_negative_size.h5}: /populations/L1@size: expected a population size in [1, 2^31], got -5"},
      {"bench --network {net_huge_size.h5}",
       "{net_huge_size.h5}: /populations/L1@size: expected a population size in [1, 2^31], got 1099511627776"},
      {"run --network {net_missing_steps.h5}", "{net_missing_steps.h5}: /@steps: expected an attribute, got nothing"},
      {"run --network {net_zero_dt.h5}", "{net_zero_dt.h5}: /@dt_s: expected a time step > 0 s, got 0"},
      {"run --network {net_string_steps.h5}",
       "{net_string_steps.h5}: /@steps: expected a numeric attribute, got a string attribute"},
      {"export --format nir -o out.nir --network {net_nan_weight.h5}",
       "{net_nan_weight.h5}: /projections/L1_to_L2/weight_V[0]: expected a finite weight, got a non-finite value"},
      {"run --network {net_unknown_target.h5}",
       "{net_unknown_target.h5}: /projections/L1_to_L2@target: expected one of the populations L1, L2, L3, L4, "
       "input, got 'nowhere'"},
      {"run --network {net_neuron_out_of_range.h5}",
       "{net_neuron_out_of_range.h5}: /projections/L1_to_L2/source_neuron[0]: expected a neuron index of L1 in "
       "[0, 1000), got 1073741824"},
      {"run --network {net_float_indices.h5}",
       "{net_float_indices.h5}: /projections/L1_to_L2/source_neuron: expected values representable as int64, got "
       "a fractional value"},
      {"run --network {net_huge_steps.h5}",
       "{net_huge_steps.h5}: /@steps: expected at most 4294967296 bytes (the memory limit; see --max-memory), got "
       "671036344478363904 bytes to simulate one trial"},
  });
}

TEST_CASE("NIR files: one-line errors with exit status 2") {
  check_cases({
      {"run --network {nir_unknown_type.nir}",
       "{nir_unknown_type.nir}: node/nodes/conv/type: expected one of the node types snnsim reads: Affine, Delay, "
       "Input, LIF, Linear, Output, got 'Conv2d'"},
      {"run --network {nir_no_graph.nir}", "{nir_no_graph.nir}: node: expected the NIR graph group, got nothing"},
      {"run --network {nir_edge_to_nowhere.nir}",
       "{nir_edge_to_nowhere.nir}: node/edges[0]: expected names of nodes in node/nodes, got 'nowhere' (no such "
       "node)"},
      {"run --network {nir_edges_shape.nir}",
       "{nir_edges_shape.nir}: node/edges: expected an (N, 2) array of node names, got shape [3]"},
      {"run --network {nir_nan_steps.nir}", "{nir_nan_steps.nir}: node/metadata/steps: expected a positive integer, got nan"},
      {"export --format nir -o out.nir --network {nir_huge_steps.nir}",
       "{nir_huge_steps.nir}: node/metadata/steps: expected a positive integer, got 1e+300"},
      {"run --network {nir_negative_shape.nir}",
       "{nir_negative_shape.nir}: node/nodes/input/shape: expected one positive size (a flat population), got shape [1]"},
      {"run --network {empty.h5}", "{empty.h5}: expected a network file in one of the formats " +
                                       importer_names() + ", got a file none of them reads"},
  });
}

TEST_CASE("TOML experiments: one-line errors with exit status 2 (run, bench, export)") {
  check_cases({
      {"run --network {exp_not_toml.toml}",
       "{exp_not_toml.toml}: line 9: expected a TOML file, got Error while parsing array: expected comma or closing ']', "
       "saw '['"},
      {"run --network {exp_format.toml}",
       "{exp_format.toml}: format: expected 'snnsim-experiment-v1', got 'snnsim-experiment-v2'"},
      {"bench --network {exp_zero_dt.toml}", "{exp_zero_dt.toml}: dt: expected a time step > 0 s, got 0 s"},
      {"run --network {exp_nan_weight.toml}",
       "{exp_nan_weight.toml}: projections[0].weight: expected a quantity in V, mV, uV (e.g. \"20 V\"), got nan"},
      {"run --network {exp_unknown_model.toml}",
       "{exp_unknown_model.toml}: populations.counter.model: expected one of the neuron models " +
           snnsim::test::registries().neurons.joined_names() + ", got 'izhikevich'"},
      {"run --network {exp_negative_size.toml}",
       "{exp_negative_size.toml}: populations.counter.size: expected a population size in [1, 2^31], got -100"},
      {"run --network {exp_missing_rate.toml}",
       "{exp_missing_rate.toml}: populations.input.rate: expected a quantity in Hz, kHz (e.g. \"20 Hz\"), got nothing"},
      {"export --format nir -o out.nir --network {exp_unknown_target.toml}",
       "{exp_unknown_target.toml}: projections[1].target: expected one of the populations counter, hidden, input, "
       "readout, got 'nowhere'"},
      {"run --network {exp_huge_size.toml}",
       "{exp_huge_size.toml}: populations.counter.size: expected a population size in [1, 2^31], got 1099511627776"},
      {"run --network {exp_huge_duration.toml}",
       "{exp_huge_duration.toml}: duration: expected a whole number (>= 1) of steps of dt = 0.0001 s, got 1e+300 s"},
      {"bench --network {exp_huge_all_to_all.toml}",
       "{exp_huge_all_to_all.toml}: projections[2].connect: expected at most 4294967296 bytes (the memory limit; see "
       "--max-memory), got 160000000000 bytes for the synapses"},
  });
}

TEST_CASE("energy tables and Loihi chip files: one-line errors with exit status 2 (run --energy-table, --chip)") {
  const std::string energy = "run --first 1 --energy-table ";
  const std::string chip = "run --first 1 --backend loihi --chip ";
  check_cases({
      {energy + "{energy_not_toml.toml}",
       "{energy_not_toml.toml}: line 20: expected valid TOML, got Error while parsing value: could not determine value type"},
      {energy + "{energy_negative.toml}",
       "{energy_negative.toml}: energy_pj.mac: expected a non-negative number of picojoules, got -4.6"},
      {energy + "{energy_unknown.toml}",
       "{energy_unknown.toml}: energy_pj.spike: expected a non-negative number of picojoules, got nothing (missing)"},
      {energy + "{energy_string.toml}",
       "{energy_string.toml}: energy_pj.add: expected a non-negative number of picojoules, got a string"},
      {energy + "{no_such_file.toml}",
       "{no_such_file.toml}: expected a readable energy table (TOML), got a file that cannot be opened"},
      {chip + "{chip_not_toml.toml}",
       "{chip_not_toml.toml}: line 16: expected valid TOML, got Error while parsing table header: expected ']', saw '\\n'"},
      {chip + "{chip_weight_bits.toml}",
       "{chip_weight_bits.toml}: formats.weight_bits: expected at most 8 (Lava's Dense format), got 9"},
      {chip + "{chip_zero_cores.toml}", "{chip_zero_cores.toml}: limits.cores_per_chip: expected a positive number, got 0"},
      {chip + "{chip_missing_synop.toml}",
       "{chip_missing_synop.toml}: energy_pj.synop: expected a positive number, got nothing"},
      {chip + "loihi3", "--chip: chip: expected loihi1, loihi2 or a readable TOML chip file, got 'loihi3'"},
  });
}

TEST_CASE("golden data (verify) and bench lmuformer: one-line errors with exit status 2") {
  check_cases({
      {"verify --model {model.h5}", "{model.h5}: /golden/labels: expected a dataset, got nothing"},
      {"verify --model {golden_no_labels.h5}",
       "{golden_no_labels.h5}: /golden/labels: expected shape [N] with N >= 1, got shape [0]"},
      {"verify --model {golden_inputs_shape.h5}",
       "{golden_inputs_shape.h5}: /golden/inputs: expected shape [2, 28, 28], got shape [2, 3, 4]"},
      {"bench lmuformer --no-peer --images 1 --runs 1 --model {model_nan.h5}",
       "{model_nan.h5}: /weights/head.weight: expected finite values, got nan at index 3"},
      {"bench lmuformer --no-peer --images 2 --runs 1 --data {idx_truncated}",
       "{idx_truncated}/t10k-images-idx3-ubyte.gz: data: expected 1568 bytes, got 984 bytes"},
      {"bench lmuformer --no-peer --images 1 --runs 1 --backend nope",
       "snnsim bench lmuformer: --backend: expected one of the backends " +
           snnsim::test::registries().backends.joined_names() + ", got 'nope'"},
  });
}

TEST_CASE("run reports (snnsim report): one-line errors with exit status 2") {
  const snnsim::test::TempDir dir("bad-report");
  const fs::path empty = dir.write("empty.json", "");
  const fs::path cut = dir.write("cut.json", "{\"format\": \"snnsim-run-v1\", \"images\": ");
  const fs::path array = dir.write("array.json", "[1, 2, 3]");
  const fs::path other = dir.write("other.json", "{\"format\": \"something-else\"}");
  auto report = [&](const fs::path& in) { return run_cli("report " + in.string() + " -o " + (dir / "out.html").string()); };
  CHECK(report(empty).err == "snnsim: " + empty.string() + ": byte 1: expected valid JSON, got a syntax error\n");
  CHECK(report(cut).err == "snnsim: " + cut.string() + ": byte 39: expected valid JSON, got a syntax error\n");
  CHECK(report(array).err == "snnsim: " + array.string() + ": expected a JSON object (snnsim run --json), got an array of 3\n");
  CHECK(report(other).err == "snnsim: " + other.string() + ": format: expected \"snnsim-run-v1\", got the string \"something-else\"\n");
  for (const fs::path& in : {empty, cut, array, other}) CHECK(report(in).status == 2);
  CHECK_FALSE(fs::exists(dir / "out.html"));
}

TEST_CASE("every command refuses to overwrite one of its inputs") {
  const snnsim::test::TempDir dir("overwrite");
  const fs::path model = dir / "model.h5";
  snnsim::test::write_lmuformer_file(model, {});
  const std::string before = snnsim::test::TempDir::read(model);
  const std::string same = ": expected an output path different from every input, got the input file itself\n";
  const CliResult json = run_cli("run --first 1 --model " + model.string() + " --json " + model.string());
  CHECK(json.status == 2);
  CHECK(json.err == "snnsim: " + model.string() + same);
  const CliResult nir = run_cli("export --format nir --model " + model.string() + " -o " + model.string());
  CHECK(nir.status == 2);
  CHECK(nir.err == "snnsim: " + model.string() + same);
  const fs::path net = fs::path(snnsim::test::shared_dir()) / "peers/brian2/ff.h5";
  const CliResult spikes = run_cli("run --network " + net.string() + " --spikes " + net.string());
  CHECK(spikes.status == 2);
  CHECK(spikes.err == "snnsim: " + net.string() + same);
  const fs::path json_in = dir.write("run.json", "{}");
  const CliResult html = run_cli("report " + json_in.string() + " -o " + json_in.string());
  CHECK(html.status == 2);
  CHECK(html.err == "snnsim: " + json_in.string() + same);
  CHECK(snnsim::test::TempDir::read(model) == before);
  CHECK(snnsim::test::TempDir::read(json_in) == "{}");
}

TEST_CASE("bad command lines for every command: one line, exit status 2") {
  for (const char* args : {"run --first many", "verify --backend", "list --verbose", "export -o x.nir",
                           "report", "bench", "frobnicate", "run --threads -"}) {
    const CliResult r = run_cli(args);
    CAPTURE(args);
    CHECK(r.status == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.rfind("snnsim: ", 0) == 0);
  }
  const CliResult backend = run_cli("bench --network x.h5 --backend nope");
  CHECK(backend.status == 2);
  CHECK(backend.err == "snnsim: snnsim bench: --backend: expected one of the backends " +
                           snnsim::test::registries().backends.joined_names() + ", got 'nope'\n");
  const CliResult format = run_cli("export --format onnx -o x.onnx");
  CHECK(format.status == 2);
  snnsim::models::ExporterRegistry exporters{"export format"};
  snnsim::models::register_builtin_exporters(exporters);
  CHECK(format.err == "snnsim: snnsim export: --format: expected one of the export formats " + exporters.joined_names() +
                          ", got 'onnx'\n");
}
