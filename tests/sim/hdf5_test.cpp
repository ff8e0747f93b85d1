// SPDX-License-Identifier: MIT
// sim/hdf5: reading the golden reference file, verbatim error messages, a write/read round trip
// checked by both this reader and h5py, and atomic writing.
#include "sim/hdf5/hdf5.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using snnsim::Error;
using snnsim::test::TempDir;
namespace h5 = snnsim::h5;

namespace {

const fs::path golden_path = fs::path(SNNSIM_SOURCE_DIR) / "../shared/golden/lmuformer_sfmnist.h5";
const std::string golden = golden_path.string();

using snnsim::test::error_of;

bool python_has_h5py() {
  return std::system("/usr/bin/python3 -c 'import h5py, numpy' >/dev/null 2>&1") == 0;
}

/// Runs `script` with /usr/bin/python3 on `file`; returns the exit status and its output.
int run_python(const TempDir& dir, const std::string& script, const fs::path& file,
               std::string& output) {
  const fs::path py = dir.write("check.py", script);
  const fs::path log = dir / "check.log";
  const std::string cmd = "/usr/bin/python3 '" + py.string() + "' '" + file.string() + "' > '" +
                          log.string() + "' 2>&1";
  const int status = std::system(cmd.c_str());
  output = TempDir::read(log);
  return status;
}

}  // namespace

TEST_CASE("shape_str and element_count") {
  CHECK(h5::shape_str({}) == "[]");
  CHECK(h5::shape_str({10, 128}) == "[10, 128]");
  CHECK(h5::element_count({}) == 1);
  CHECK(h5::element_count({3, 0, 5}) == 0);
  CHECK(h5::element_count({10, 128}) == 1280);
  const std::size_t big = std::size_t{1} << 40;
  CHECK(h5::element_count({big, big}) == std::numeric_limits<std::size_t>::max());
}

TEST_CASE("golden file: structure, datasets and attributes") {
  const h5::File f = h5::File::open_read(golden_path);
  CHECK(f.path() == golden_path);
  CHECK(f.name() == "/");
  CHECK(f.children() == std::vector<std::string>{"golden", "weights"});

  // Names with dots are single components.
  CHECK(f.has("weights/patch_embed.proj_conv.weight"));
  CHECK(f.has("/weights/patch_embed.proj_conv.weight"));
  CHECK(f.is_dataset("weights/patch_embed.proj_conv.weight"));
  CHECK(f.is_group("weights"));
  CHECK_FALSE(f.is_group("weights/head.weight"));
  CHECK_FALSE(f.has("weights/patch_embed"));
  CHECK_FALSE(f.has("nothing/here/at/all"));         // missing intermediate groups: no error
  CHECK_FALSE(f.has("golden/labels/below_dataset"));  // dataset as intermediate: no error
  CHECK(f.shape("/weights/patch_embed.proj_conv.weight") == h5::Shape{128, 28, 3});

  const h5::Group weights = f.group("weights");
  CHECK(weights.name() == "/weights");
  const std::vector<std::string> names = weights.children();
  REQUIRE(names.size() == 81);  // h5py: len(f['/weights'].keys())
  CHECK(names[0] == "block.0.attn.lmu.A");
  CHECK(names[3] == "block.0.attn.lmu.W_h.bias");
  CHECK(weights.full_path("head.weight") == "/weights/head.weight");
  CHECK(weights.shape("head.weight") == h5::Shape{10, 128});

  // Reference values printed by /usr/bin/python3 with h5py 3.7:
  //   f['/golden/labels'][:16]  -> [9 2 1 1 6 1 4 6 5 7 4 5 7 3 4 1]
  const std::vector<std::int64_t> first16 = {9, 2, 1, 1, 6, 1, 4, 6, 5, 7, 4, 5, 7, 3, 4, 1};
  const h5::Array<std::int64_t> labels = f.read<std::int64_t>("/golden/labels");
  REQUIRE(labels.shape == h5::Shape{256});
  REQUIRE(labels.size() == 256);
  CHECK(std::vector<std::int64_t>(labels.data.begin(), labels.data.begin() + 16) == first16);
  const h5::Array<std::int32_t> labels32 = f.group("golden").read<std::int32_t>("labels", {256});
  CHECK(labels32.data[0] == 9);
  CHECK(labels32.data[15] == 1);

  //   f['/golden/logits'][0] (float32, printed as float(x))
  const h5::Array<float> logits = f.read<float>("golden/logits", {256, 10});
  const std::vector<float> logits0 = {-4.753150939941406f, -3.333017110824585f,
                                      -5.732248783111572f, -6.054233074188232f,
                                      -5.734864234924316f, -1.993021011352539f,
                                      -6.865162372589111f, 0.15401360392570496f,
                                      -3.9278488159179688f, 4.611484050750732f};
  CHECK(std::vector<float>(logits.data.begin(), logits.data.begin() + 10) == logits0);
  const h5::Array<double> logits_d = f.read<double>("golden/logits");
  CHECK(logits_d.data[9] == static_cast<double>(4.611484050750732f));

  //   f['/weights/patch_embed.proj_conv.weight'][0, 0] -> [-0.240411177277565, -0.04594625160098076,
  //   -0.07796664535999298]
  const h5::Array<float> conv = f.read<float>("weights/patch_embed.proj_conv.weight", {128, 28, 3});
  CHECK(conv.data[0] == -0.240411177277565f);
  CHECK(conv.data[1] == -0.04594625160098076f);
  CHECK(conv.data[2] == -0.07796664535999298f);

  //   h5py bool (an HDF5 enum): np.nonzero(f['/golden/fragile'][:]) -> [54 56 142 152 155 174 199 215 237]
  const h5::Array<std::uint8_t> fragile = f.read<std::uint8_t>("golden/fragile");
  std::vector<std::size_t> fragile_idx;
  for (std::size_t i = 0; i < fragile.size(); ++i) {
    if (fragile.data[i]) fragile_idx.push_back(i);
  }
  CHECK(fragile_idx == std::vector<std::size_t>{54, 56, 142, 152, 155, 174, 199, 215, 237});
  CHECK(f.read<std::int64_t>("golden/fragile").data[54] == 1);

  //   a gzip-compressed dataset: f['/golden/debug/spikes/head_lif'][:].sum() -> 6321, [0].sum() -> 976
  const h5::Array<std::uint8_t> raster = f.read<std::uint8_t>("golden/debug/spikes/head_lif");
  CHECK(raster.shape == h5::Shape{8, 28, 128});
  std::int64_t total = 0, first = 0;
  for (std::size_t i = 0; i < raster.size(); ++i) {
    total += raster.data[i];
    if (i < 28 * 128) first += raster.data[i];
  }
  CHECK(total == 6321);
  CHECK(first == 976);

  //   a scalar dataset: f['/golden/neurons/block.0.attn.lmu.f_u'][()] -> 1
  const h5::Array<std::int64_t> fu = f.read<std::int64_t>("golden/neurons/block.0.attn.lmu.f_u", {});
  CHECK(fu.data == std::vector<std::int64_t>{1});

  // Attributes (h5py: f.attrs[...], f['/weights/head.weight'].attrs[...]).
  CHECK(f.has_attr("", "format"));
  CHECK_FALSE(f.has_attr("", "no_such_attribute"));
  CHECK_FALSE(f.has_attr("no/such/object", "format"));
  CHECK(f.read_string_attr("", "format") == "snnsim-golden-v1");
  CHECK(f.read_string_attr(".", "model_class") == "lmu_rnn.ConvLMU");
  CHECK(f.read_int_attr("", "seed") == 1234);
  CHECK(f.read_double_attr("", "seed") == 1234.0);
  CHECK(f.read_double_attr("", "test_accuracy") == 0.8769);
  CHECK(f.read_int_attr("", "test_images") == 10000);
  const h5::Array<std::int64_t> torch_shape = f.read_array_attr<std::int64_t>("/weights/head.weight", "torch_shape");
  CHECK(torch_shape.shape == h5::Shape{2});
  CHECK(torch_shape.data == std::vector<std::int64_t>{10, 128});
  CHECK(weights.read_string_attr("head.weight", "torch_dtype") == "float32");
  CHECK(weights.read_string_attr("head.weight", "storage") == "plain");
  const h5::Group golden_group = f.group("golden");
  CHECK(golden_group.read_int_attr("spikes/head_lif", "total") == 194420);
  CHECK(golden_group.read_int_attr("", "debug_samples") == 8);
  CHECK(golden_group.read_double_attr("neurons/block.0.attn.prev_lif", "v_threshold") == 0.5);
  CHECK(golden_group.read_int_attr("neurons/block.0.attn.prev_lif", "v_reset") == 0);  // float64 0.0
}

TEST_CASE("opening: verbatim errors") {
  TempDir dir("h5");
  const fs::path missing = dir / "missing.h5";
  CHECK(error_of([&] { h5::File::open_read(missing); }) ==
        missing.string() + ": expected a readable HDF5 file, got no such file");

  const fs::path text = dir.write("notes.h5", "this is a text file, not HDF5\n");
  CHECK(error_of([&] { h5::File::open_read(text); }) ==
        text.string() + ": expected a readable HDF5 file, got a file that is not HDF5");

  const fs::path empty = dir.write("empty.h5", "");
  CHECK(error_of([&] { h5::File::open_read(empty); }) ==
        empty.string() + ": expected a readable HDF5 file, got a file that is not HDF5");

  CHECK(error_of([&] { h5::File::open_read(dir.path()); }) ==
        dir.path().string() + ": expected a readable HDF5 file, got a folder");

  // The first 64 KiB of the golden file: a valid superblock, the rest missing.
  const std::string bytes = TempDir::read(golden_path);
  const fs::path truncated = dir.write("truncated.h5", bytes.substr(0, 65536));
  CHECK(error_of([&] { h5::File::open_read(truncated); }) ==
        truncated.string() + ": expected a readable HDF5 file, got a truncated or damaged HDF5 file");
}

TEST_CASE("reading: verbatim errors on the golden file") {
  h5::File f = h5::File::open_read(golden_path);
  CHECK(error_of([&] { f.read<float>("/weights/nope"); }) ==
        golden + ": /weights/nope: expected a dataset, got nothing");
  CHECK(error_of([&] { f.read<float>("weights/nope/deeper"); }) ==
        golden + ": /weights/nope/deeper: expected a dataset, got nothing");
  CHECK(error_of([&] { f.read<float>("/weights"); }) ==
        golden + ": /weights: expected a dataset, got a group");
  CHECK(error_of([&] { f.read<float>("/weights/head.weight", {10, 64}); }) ==
        golden + ": /weights/head.weight: expected shape [10, 64], got shape [10, 128]");
  CHECK(error_of([&] { f.group("weights").read<float>("head.bias", {}); }) ==
        golden + ": /weights/head.bias: expected shape [], got shape [10]");
  CHECK(error_of([&] { f.group("/golden/labels"); }) ==
        golden + ": /golden/labels: expected a group, got a dataset");
  CHECK(error_of([&] { f.group("golden/nothing"); }) ==
        golden + ": /golden/nothing: expected a group, got nothing");
  CHECK(error_of([&] { f.shape("golden"); }) == golden + ": /golden: expected a dataset, got a group");

  // Attributes are named /path@name.
  CHECK(error_of([&] { f.read_double_attr("", "format"); }) ==
        golden + ": /@format: expected a numeric attribute, got a string attribute");
  CHECK(error_of([&] { f.read_string_attr("", "seed"); }) ==
        golden + ": /@seed: expected a string attribute, got an integer attribute");
  CHECK(error_of([&] { f.read_int_attr("", "test_accuracy"); }) ==
        golden + ": /@test_accuracy: expected an integer, got 0.8769");
  CHECK(error_of([&] { f.read_string_attr("/weights/head.weight", "missing"); }) ==
        golden + ": /weights/head.weight@missing: expected an attribute, got nothing");
  CHECK(error_of([&] { f.read_string_attr("/weights/nope", "torch_dtype"); }) ==
        golden + ": /weights/nope@torch_dtype: expected an attribute, got no object /weights/nope");
  CHECK(error_of([&] { f.read_int_attr("/weights/head.weight", "torch_shape"); }) ==
        golden + ": /weights/head.weight@torch_shape: expected a single integer, got shape [2]");
  CHECK(error_of([&] { f.read_array_attr<float>("/weights/head.weight", "torch_dtype"); }) ==
        golden + ": /weights/head.weight@torch_dtype: expected a numeric attribute, got a string attribute");

  // Size guard before allocating: 1280 float32 = 5120 bytes.
  f.set_max_bytes(5000);
  CHECK(f.max_bytes() == 5000);
  CHECK(error_of([&] { f.read<float>("/weights/head.weight"); }) ==
        golden + ": /weights/head.weight: expected at most 5000 bytes, got 5120 bytes");
  const h5::Group w = f.group("weights");  // groups share the file's limit
  CHECK(error_of([&] { w.read<double>("head.weight"); }) ==
        golden + ": /weights/head.weight: expected at most 5000 bytes, got 10240 bytes");
  f.set_max_bytes(5120);
  CHECK(f.read<float>("/weights/head.weight").size() == 1280);

  // A read-only file refuses writes.
  CHECK(error_of([&] { f.create_group("new"); }) ==
        golden + ": /new: expected a file opened for writing, got a read-only file");
}

TEST_CASE("round trip: atomic writer, this reader, and h5py") {
  TempDir dir("h5");
  const fs::path path = dir / "round_trip.h5";
  const std::string utf8 = "Gr\u00fc\u00dfe, \u03b6";  // "Grüße, ζ"
  std::vector<float> floats(12);
  for (std::size_t i = 0; i < floats.size(); ++i) floats[i] = static_cast<float>(i) * 0.5f - 1.0f;
  const std::vector<std::int64_t> ints = {-9223372036854775807 - 1, -1, 0, 42, 9223372036854775807};
  const std::vector<std::string> pairs = {"a", "alpha", "b", utf8, "", "last"};
  {
    h5::AtomicH5Writer writer(path);
    CHECK(writer.target() == path);
    CHECK(writer.temp_path().parent_path() == dir.path());
    CHECK(writer.temp_path().filename().string().rfind(".round_trip.h5.tmp.", 0) == 0);
    h5::Group& root = writer.root();
    root.write<float>("floats", floats, {3, 4}, /*gzip=*/true);
    root.write<std::int64_t>("ints", ints, {5});
    root.write<double>("scalar", std::vector<double>{0.1}, {});
    root.write<std::int32_t>("empty", std::vector<std::int32_t>{}, {0, 3});
    root.write_string("name", utf8);
    root.write_strings("pairs", pairs, {3, 2});
    h5::Group g = root.create_group("group/nested");
    g.write<std::uint8_t>("bytes", std::vector<std::uint8_t>{0, 1, 255}, {3});
    g.write<float>("/top.level", std::vector<float>{1.5f}, {1});  // absolute path from a group
    root.write_attr("", "title", utf8);
    root.write_attr("", "scale", 0.25);
    root.write_attr("", "count", 7);
    root.write_attr("group/nested", "count", std::int64_t{-7});
    root.write_attr("group/nested", "count", std::int64_t{-8});  // replaces
    root.write_array_attr<std::int64_t>("floats", "torch_shape", std::vector<std::int64_t>{3, 4}, {2});
    root.write_attr("floats", "torch_dtype", "float32");
    g.write_attr("bytes", "unit", std::string("spikes"));
    h5::Group conv = root.create_group("group/conversions");
    conv.write<std::int64_t>("i300", std::vector<std::int64_t>{1, 300}, {2});
    conv.write<float>("nan", std::vector<float>{1.0f, std::numeric_limits<float>::quiet_NaN()}, {2});
    conv.write<double>("inf", std::vector<double>{-std::numeric_limits<double>::infinity()}, {1});
    conv.write<double>("big", std::vector<double>{1e300}, {1});
    conv.write<double>("integral", std::vector<double>{-3.0, 0.0, 7.0}, {3});
    CHECK(fs::exists(writer.temp_path()));
    CHECK_FALSE(fs::exists(path));
    writer.commit();
    CHECK_FALSE(fs::exists(writer.temp_path()));
    // g is still alive here; using it after commit is an error, destroying it is fine.
    CHECK(error_of([&] { g.write_attr("", "late", 1); }) ==
          path.string() + ": /group/nested: expected an open HDF5 file, got a closed file");
    g = h5::File::open_read(golden_path).group("weights");  // assigning over a closed group
    CHECK(g.name() == "/weights");
  }
  CHECK(dir.entries() == std::vector<std::string>{"round_trip.h5"});

  const h5::File f = h5::File::open_read(path);
  CHECK(f.children() == std::vector<std::string>{"empty", "floats", "group", "ints", "name",
                                                 "pairs", "scalar", "top.level"});
  CHECK(f.read<float>("floats", {3, 4}).data == floats);
  CHECK(f.read<double>("floats").data[3] == 0.5);
  CHECK(f.read<std::int64_t>("ints", {5}).data == ints);
  CHECK(f.read<double>("scalar", {}).data == std::vector<double>{0.1});
  CHECK(f.read<float>("scalar").data == std::vector<float>{0.1f});
  const h5::Array<std::int32_t> empty = f.read<std::int32_t>("empty");
  CHECK(empty.shape == h5::Shape{0, 3});
  CHECK(empty.size() == 0);
  CHECK(f.read_string("name") == utf8);
  const h5::Array<std::string> read_pairs = f.read_strings("pairs");
  CHECK(read_pairs.shape == h5::Shape{3, 2});
  CHECK(read_pairs.data == pairs);
  CHECK(f.read<std::uint8_t>("group/nested/bytes").data == std::vector<std::uint8_t>{0, 1, 255});
  CHECK(f.read<float>("top.level").data == std::vector<float>{1.5f});
  CHECK(f.read_string_attr("", "title") == utf8);
  CHECK(f.read_double_attr("", "scale") == 0.25);
  CHECK(f.read_int_attr("", "count") == 7);
  CHECK(f.read_int_attr("group/nested", "count") == -8);
  CHECK(f.read_array_attr<std::int64_t>("floats", "torch_shape").data == std::vector<std::int64_t>{3, 4});
  CHECK(f.read_string_attr("group/nested/bytes", "unit") == "spikes");

  // Conversions that would change a value are errors, never clipped or truncated data.
  CHECK(error_of([&] { f.read<std::uint8_t>("ints"); }) ==
        path.string() + ": /ints: expected values representable as uint8, got a value below its range");
  CHECK(error_of([&] { f.read<std::int32_t>("ints"); }) ==
        path.string() + ": /ints: expected values representable as int32, got a value below its range");
  CHECK(error_of([&] { f.read<std::int32_t>("floats"); }) ==
        path.string() + ": /floats: expected values representable as int32, got a fractional value");
  CHECK(error_of([&] { f.read<std::uint8_t>("group/conversions/i300"); }) ==
        path.string() + ": /group/conversions/i300: expected values representable as uint8, got a value above its range");
  CHECK(f.read<std::int32_t>("group/conversions/i300").data == std::vector<std::int32_t>{1, 300});
  CHECK(error_of([&] { f.read<std::int32_t>("group/conversions/nan"); }) ==
        path.string() + ": /group/conversions/nan: expected values representable as int32, got a NaN");
  CHECK(std::isnan(f.read<double>("group/conversions/nan").data[1]));
  CHECK(error_of([&] { f.read<std::int64_t>("group/conversions/inf"); }) ==
        path.string() + ": /group/conversions/inf: expected values representable as int64, got an infinite value");
  CHECK(f.read<float>("group/conversions/inf").data == std::vector<float>{-std::numeric_limits<float>::infinity()});
  CHECK(error_of([&] { f.read<float>("group/conversions/big"); }) ==
        path.string() + ": /group/conversions/big: expected values representable as float32, got a value above its range");
  CHECK(f.read<std::int64_t>("group/conversions/integral").data == std::vector<std::int64_t>{-3, 0, 7});
  CHECK(error_of([&] { f.read<std::int64_t>("name"); }) ==
        path.string() + ": /name: expected a numeric dataset, got a string dataset");
  CHECK(error_of([&] { f.read<float>("pairs"); }) ==
        path.string() + ": /pairs: expected a numeric dataset, got a string dataset");
  CHECK(error_of([&] { f.read_string("floats"); }) ==
        path.string() + ": /floats: expected a string dataset, got a float dataset");
  CHECK(error_of([&] { f.read_string("pairs"); }) ==
        path.string() + ": /pairs: expected a single string, got shape [3, 2]");

  if (!python_has_h5py()) {
    MESSAGE("skipping the h5py cross-check: /usr/bin/python3 has no h5py");
    return;
  }
  TempDir pydir("h5py");
  const std::string script = R"PY(
import sys
import h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
d = f["floats"]
assert d.dtype == np.float32 and d.shape == (3, 4), (d.dtype, d.shape)
assert d.compression == "gzip" and d.chunks is not None, (d.compression, d.chunks)
assert np.array_equal(d[()], (np.arange(12, dtype=np.float32) * np.float32(0.5) - np.float32(1)).reshape(3, 4))
assert d.attrs["torch_shape"].dtype == np.int64 and d.attrs["torch_shape"].tolist() == [3, 4]
assert isinstance(d.attrs["torch_dtype"], str) and d.attrs["torch_dtype"] == "float32"
i = f["ints"]
assert i.dtype == np.int64 and i[()].tolist() == [-2**63, -1, 0, 42, 2**63 - 1]
assert f["scalar"].shape == () and f["scalar"].dtype == np.float64 and f["scalar"][()] == 0.1
assert f["empty"].shape == (0, 3) and f["empty"].dtype == np.int32
s = f["name"]
assert s.shape == () and h5py.check_string_dtype(s.dtype).encoding == "utf-8"
assert h5py.check_string_dtype(s.dtype).length is None  # variable-length
assert s.asstr()[()] == "Gr\u00fc\u00dfe, \u03b6"
p = f["pairs"]
assert p.shape == (3, 2) and h5py.check_string_dtype(p.dtype).encoding == "utf-8"
assert p.asstr()[()].tolist() == [["a", "alpha"], ["b", "Gr\u00fc\u00dfe, \u03b6"], ["", "last"]]
b = f["group/nested/bytes"]
assert b.dtype == np.uint8 and b[()].tolist() == [0, 1, 255]
assert f["top.level"][()].tolist() == [1.5]
t = f.attrs["title"]
assert isinstance(t, str) and t == "Gr\u00fc\u00dfe, \u03b6", repr(t)
assert f.attrs["scale"] == 0.25 and f.attrs["scale"].dtype == np.float64
assert f.attrs["count"] == 7 and f.attrs["count"].dtype == np.int64
assert f["group/nested"].attrs["count"] == -8
assert f["group/nested/bytes"].attrs["unit"] == "spikes"
assert sorted(f["group/conversions"].keys()) == ["big", "i300", "inf", "integral", "nan"]
assert sorted(f.keys()) == ["empty", "floats", "group", "ints", "name", "pairs", "scalar", "top.level"]
print("h5py agrees")
)PY";
  std::string output;
  const int status = run_python(pydir, script, path, output);
  INFO("h5py output: " << output);
  CHECK(status == 0);
  CHECK(output == "h5py agrees\n");
}

TEST_CASE("writing: verbatim errors") {
  TempDir dir("h5");
  const fs::path path = dir / "errors.h5";
  const std::string p = path.string();
  h5::AtomicH5Writer writer(path);
  h5::Group& root = writer.root();
  root.write<float>("x", std::vector<float>{1, 2, 3, 4}, {2, 2});
  CHECK(error_of([&] { root.write<float>("x", std::vector<float>{1}, {1}); }) ==
        p + ": /x: expected a new name, got an existing dataset");
  CHECK(error_of([&] { root.write<float>("y", std::vector<float>{1, 2, 3}, {2, 2}); }) ==
        p + ": /y: expected 4 values for shape [2, 2], got 3 values");
  CHECK(error_of([&] { root.write<float>("x/inside", std::vector<float>{1}, {1}); }) ==
        p + ": /x/inside: expected a path through groups, got a dataset at /x");
  root.create_group("g");
  CHECK(error_of([&] { root.create_group("g"); }) == p + ": /g: expected a new name, got an existing group");
  CHECK(error_of([&] { root.write_string("s", std::string_view("a\0b", 3)); }) ==
        p + ": /s: expected a string without NUL characters, got a NUL at offset 1");
  CHECK(error_of([&] { root.write_attr("missing", "a", 1.0); }) ==
        p + ": /missing@a: expected an existing object to attach it to, got nothing");
  CHECK(error_of([&] { root.write_attr("x", "big", std::uint64_t{1} << 63); }) ==
        p + ": /x@big: expected an integer up to 9223372036854775807, got 9223372036854775808");
  CHECK(error_of([&] { root.write_array_attr<std::int64_t>("x", "a", std::vector<std::int64_t>{1, 2}, {3}); }) ==
        p + ": /x@a: expected 3 values for shape [3], got 2 values");
  writer.commit();
  CHECK(error_of([&] { writer.commit(); }) == p + ": expected one commit, got a second commit");
  CHECK(error_of([&] { writer.root(); }) == p + ": expected an uncommitted HDF5 writer, got a finished one");
}

TEST_CASE("atomic writing: nothing at the target unless committed") {
  TempDir dir("h5");
  const fs::path path = dir / "model.h5";
  {
    h5::AtomicH5Writer writer(path);
    writer.root().write<float>("w", std::vector<float>{1, 2}, {2});
    h5::Group g = writer.root().create_group("g");
    CHECK(dir.entries().size() == 1);  // only the temporary file
  }
  CHECK_FALSE(fs::exists(path));
  CHECK(dir.entries().empty());

  // An existing file survives an abandoned rewrite, including one abandoned by an exception.
  {
    h5::AtomicH5Writer writer(path);
    writer.root().write<std::int64_t>("version", std::vector<std::int64_t>{1}, {1});
    writer.commit();
  }
  const std::string before = TempDir::read(path);
  try {
    h5::AtomicH5Writer writer(path);
    writer.root().write<std::int64_t>("version", std::vector<std::int64_t>{2}, {1});
    writer.root().write<std::int64_t>("version", std::vector<std::int64_t>{3}, {1});  // throws
    writer.commit();
  } catch (const Error&) {
  }
  CHECK(TempDir::read(path) == before);
  CHECK(dir.entries() == std::vector<std::string>{"model.h5"});
  CHECK(h5::File::open_read(path).read<std::int64_t>("version").data == std::vector<std::int64_t>{1});

  // A committed rewrite replaces it.
  {
    h5::AtomicH5Writer writer(path);
    writer.root().write<std::int64_t>("version", std::vector<std::int64_t>{2}, {1});
    writer.commit();
  }
  CHECK(h5::File::open_read(path).read<std::int64_t>("version").data == std::vector<std::int64_t>{2});

  const fs::path nowhere = dir / "no_such_folder" / "model.h5";
  CHECK(error_of([&] { h5::AtomicH5Writer w(nowhere); }) ==
        nowhere.string() + ": expected an existing folder, got no folder " + (dir / "no_such_folder").string());
  CHECK(dir.entries() == std::vector<std::string>{"model.h5"});
}

TEST_CASE("files written by h5py: fixed-length strings, bools, enums, compounds") {
  if (!python_has_h5py()) {
    MESSAGE("skipping: /usr/bin/python3 has no h5py");
    return;
  }
  TempDir dir("h5py");
  const fs::path path = dir / "foreign.h5";
  const std::string script = R"PY(
import sys
import h5py, numpy as np
with h5py.File(sys.argv[1], "w") as f:
    f["fixed_ascii"] = np.array([b"ab", b"cde"], dtype="S3")
    f.create_dataset("fixed_utf8", data="Gr\u00fc\u00dfe".encode(), dtype=h5py.string_dtype("utf-8", 12))
    f["compound"] = np.zeros(2, dtype=[("a", "i4"), ("b", "f4")])
    color = h5py.enum_dtype({"RED": 0, "GREEN": 1, "BLUE": 2}, basetype="i1")
    f.create_dataset("color", data=np.array([0, 1, 2], dtype="i1"), dtype=color)
    f["bools"] = np.array([True, False, True])
    f["u64"] = np.array([2**64 - 1], dtype=np.uint64)
    f.attrs["fixed"] = np.bytes_("hello")
    f.attrs["flag"] = np.bool_(True)
    f.attrs["three"] = 3.0
    f.attrs["u64"] = np.uint64(2**63)
    f.attrs["empty"] = h5py.Empty("f")
    f.attrs["names"] = np.array(["x", "y"], dtype=h5py.string_dtype())
print("written")
)PY";
  std::string output;
  REQUIRE(run_python(dir, script, path, output) == 0);
  const h5::File f = h5::File::open_read(path);
  const std::string p = path.string();
  const h5::Array<std::string> fixed = f.read_strings("fixed_ascii");
  CHECK(fixed.shape == h5::Shape{2});
  CHECK(fixed.data == std::vector<std::string>{"ab", "cde"});
  CHECK(f.read_string("fixed_utf8") == "Gr\u00fc\u00dfe");
  CHECK(f.read_string_attr("", "fixed") == "hello");
  CHECK(f.read<float>("bools").data == std::vector<float>{1, 0, 1});
  CHECK(f.read_int_attr("", "flag") == 1);
  CHECK(f.read_int_attr("", "three") == 3);
  CHECK(f.read_double_attr("", "u64") == 9223372036854775808.0);
  CHECK(error_of([&] { f.read_int_attr("", "u64"); }) ==
        p + ": /@u64: expected values representable as int64, got a value above its range");
  CHECK(error_of([&] { f.read<std::int64_t>("u64"); }) ==
        p + ": /u64: expected values representable as int64, got a value above its range");
  CHECK(error_of([&] { f.read<float>("compound"); }) ==
        p + ": /compound: expected a numeric dataset, got a compound dataset");
  CHECK(error_of([&] { f.read<std::uint8_t>("color"); }) ==
        p + ": /color: expected a numeric dataset, got an enum dataset (not a bool)");
  CHECK(error_of([&] { f.read_double_attr("", "empty"); }) ==
        p + ": /@empty: expected a scalar or an array, got an empty (null) dataspace");
  CHECK(error_of([&] { f.read_string_attr("", "names"); }) ==
        p + ": /@names: expected a single string, got shape [2]");
}
