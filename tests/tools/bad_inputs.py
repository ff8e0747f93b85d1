#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""bad_inputs.py OUT GOOD_MODEL GOOD_NETWORK: writes the hand-made bad input files of
bad_input_test.cpp into OUT, each a copy of a good file (a golden-layout LMUFormer, a
snnsim-peer-network-v1 network) with one defect: wrong types and shapes, NaN and infinite
weights, negative and huge sizes, missing fields, unknown names."""
import os
import shutil
import sys

import h5py
import numpy as np

out, model, network = sys.argv[1], sys.argv[2], sys.argv[3]
STR = h5py.string_dtype()


def variant(src, name, change):
    path = os.path.join(out, name)
    shutil.copyfile(src, path)
    with h5py.File(path, "r+") as f:
        change(f)


def replace(f, path, data=None, **kw):
    del f[path]
    if data is None:
        f.create_dataset(path, **kw)
    else:
        f[path] = data


def with_config(change):
    def apply(f):
        import json
        c = json.loads(f.attrs["config_json"])
        change(c)
        f.attrs["config_json"] = json.dumps(c)
    return apply


W = "weights/head.weight"

# ---- LMUFormer (golden layout) ----------------------------------------------------------------
variant(model, "model_nan.h5", lambda f: replace(f, W, np.where(np.arange(f[W].size).reshape(f[W].shape) == 3, np.nan, f[W][()]).astype(np.float32)))
variant(model, "model_inf.h5", lambda f: replace(f, W, np.where(np.arange(f[W].size).reshape(f[W].shape) == 5, -np.inf, f[W][()]).astype(np.float32)))
variant(model, "model_shape.h5", lambda f: replace(f, W, np.zeros((f[W].shape[0], f[W].shape[1] + 1), np.float32)))
variant(model, "model_string_weight.h5", lambda f: replace(f, W, np.full(f[W].shape, b"w")))
variant(model, "model_missing_weight.h5", lambda f: f.__delitem__("weights/head.bias"))
variant(model, "model_no_config.h5", lambda f: f.attrs.__delitem__("config_json"))
variant(model, "model_bad_json.h5", lambda f: f.attrs.__setitem__("config_json", '{"data": {"steps": 28,'))
variant(model, "model_negative_steps.h5", with_config(lambda c: c["data"].__setitem__("steps", -3)))
variant(model, "model_missing_features.h5", with_config(lambda c: c["data"].__delitem__("features")))
variant(model, "model_missing_neuron.h5", with_config(lambda c: c["neurons"].__delitem__("head_lif")))
variant(model, "model_string_tau.h5", with_config(lambda c: c["neurons"]["head_lif"].__setitem__("tau", "two")))
# A first convolution declaring 2^20 output channels: 352 MB of float32 that is never written.
variant(model, "model_huge.h5", lambda f: replace(f, "weights/patch_embed.proj_conv.weight",
                                                  shape=(1 << 20, f["weights/patch_embed.proj_conv.weight"].shape[1], 3),
                                                  dtype=np.float32))

# ---- Brian2-layout network (snnsim-peer-network-v1) -------------------------------------------
def first(f, group):
    return group + "/" + sorted(f[group].keys())[0]


def pop(f):
    for name in sorted(f["populations"].keys()):
        if f["populations"][name].attrs["model"] != "spike_source":
            return "populations/" + name
    return first(f, "populations")


variant(network, "net_unknown_model.h5", lambda f: f[pop(f)].attrs.__setitem__("model", "hodgkin_huxley"))
variant(network, "net_negative_size.h5", lambda f: f[pop(f)].attrs.__setitem__("size", np.int64(-5)))
variant(network, "net_huge_size.h5", lambda f: f[pop(f)].attrs.__setitem__("size", np.int64(1) << 40))
variant(network, "net_missing_steps.h5", lambda f: f.attrs.__delitem__("steps"))
variant(network, "net_zero_dt.h5", lambda f: f.attrs.__setitem__("dt_s", 0.0))
variant(network, "net_string_steps.h5", lambda f: f.attrs.__setitem__("steps", "many"))
variant(network, "net_nan_weight.h5", lambda f: f[first(f, "projections") + "/weight_V"].__setitem__(0, np.nan))
variant(network, "net_unknown_target.h5", lambda f: f[first(f, "projections")].attrs.__setitem__("target", "nowhere"))
variant(network, "net_unknown_param.h5", lambda f: f[pop(f)].attrs.__setitem__("colour", 1.0))
variant(network, "net_neuron_out_of_range.h5",
        lambda f: f[first(f, "projections") + "/source_neuron"].__setitem__(0, 1 << 30))
variant(network, "net_float_indices.h5", lambda f: replace(f, first(f, "projections") + "/source_neuron",
                                                           f[first(f, "projections") + "/source_neuron"][()] + 0.5))
variant(network, "net_huge_steps.h5", lambda f: f.attrs.__setitem__("steps", np.int64(1) << 50))

# ---- NIR ---------------------------------------------------------------------------------------
def nir(name, change):
    path = os.path.join(out, name)
    with h5py.File(path, "w") as f:
        f["version"] = "1.0"
        g = f.create_group("node")
        g["type"] = "NIRGraph"
        n = g.create_group("nodes")
        i = n.create_group("input")
        i["type"] = "Input"
        i["shape"] = np.array([3], np.int64)
        o = n.create_group("output")
        o["type"] = "Output"
        o["shape"] = np.array([3], np.int64)
        g["edges"] = np.array([["input", "output"]], dtype=object).astype(STR)
        change(f)


nir("nir_unknown_type.nir", lambda f: (f["node/nodes"].create_group("conv"), f["node/nodes/conv"].__setitem__("type", "Conv2d")))
nir("nir_no_graph.nir", lambda f: f.__delitem__("node"))
nir("nir_edge_to_nowhere.nir", lambda f: replace(f, "node/edges", np.array([["input", "nowhere"]], dtype=object).astype(STR)))
nir("nir_negative_shape.nir", lambda f: replace(f, "node/nodes/input/shape", np.array([-4], np.int64)))
nir("nir_edges_shape.nir", lambda f: replace(f, "node/edges", np.array(["input", "output", "input"], dtype=object).astype(STR)))
nir("nir_nan_steps.nir", lambda f: (f["node"].create_group("metadata"), f["node/metadata"].__setitem__("steps", np.nan)))
nir("nir_huge_steps.nir", lambda f: (f["node"].create_group("metadata"), f["node/metadata"].__setitem__("steps", 1e300)))

# ---- not HDF5 at all, empty, truncated ------------------------------------------------------------
open(os.path.join(out, "empty.h5"), "wb").close()
open(os.path.join(out, "text.h5"), "w").write("this is not an HDF5 file\n")
with open(model, "rb") as f:
    open(os.path.join(out, "truncated.h5"), "wb").write(f.read(2048))

# ---- text files: TOML experiments, energy tables, Loihi chip files -------------------------------
src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def text_variant(good, name, old, new):
    text = open(os.path.join(src, good)).read()
    assert old in text, (good, old)
    open(os.path.join(out, name), "w").write(text.replace(old, new, 1))


EXP = "models/experiment/examples/poisson_chain.toml"
text_variant(EXP, "exp_not_toml.toml", 'seed = 7', 'seed = [7')
text_variant(EXP, "exp_format.toml", '"snnsim-experiment-v1"', '"snnsim-experiment-v2"')
text_variant(EXP, "exp_zero_dt.toml", 'dt = "0.1 ms"', 'dt = "0 ms"')
text_variant(EXP, "exp_nan_weight.toml", 'weight = "2 mV"', 'weight = nan')
text_variant(EXP, "exp_unknown_model.toml", 'model = "if"', 'model = "izhikevich"')
text_variant(EXP, "exp_negative_size.toml", 'size = 100\n', 'size = -100\n')
text_variant(EXP, "exp_missing_rate.toml", 'rate = "20 Hz"\n', '')
text_variant(EXP, "exp_unknown_target.toml", 'target = "counter"', 'target = "nowhere"')
text_variant(EXP, "exp_huge_size.toml", 'size = 100\n', 'size = 1099511627776\n')
text_variant(EXP, "exp_huge_duration.toml", 'duration = "0.5 s"', 'duration = "1e300 s"')
text_variant(EXP, "exp_huge_all_to_all.toml", 'size = 10\n', 'size = 100000000\n')
ENERGY = "sim/energy_tables/horowitz_45nm.toml"
text_variant(ENERGY, "energy_not_toml.toml", 'ac = 0.9 ', 'ac = = 0.9 ')
text_variant(ENERGY, "energy_negative.toml", 'mac = 4.6 ', 'mac = -4.6 ')
text_variant(ENERGY, "energy_unknown.toml", 'spike = 0.0', 'flops = 0.0')
text_variant(ENERGY, "energy_string.toml", 'add = 0.9 ', 'add = "cheap" ')
CHIP = "hw_backends/loihi/chips/loihi2.toml"
text_variant(CHIP, "chip_not_toml.toml", '[limits]', '[limits')
text_variant(CHIP, "chip_weight_bits.toml", 'weight_bits = { value = 8,', 'weight_bits = { value = 9,')
text_variant(CHIP, "chip_zero_cores.toml", 'cores_per_chip = { value = 128,', 'cores_per_chip = { value = 0,')
text_variant(CHIP, "chip_missing_synop.toml", 'synop = { value = 23.6,', 'synop_typo = { value = 23.6,')

# ---- golden data (snnsim verify): a model whose /golden group is empty or damaged -----------------
variant(model, "golden_none.h5", lambda f: None)
def golden(labels, inputs_shape):
    def change(f):
        g = f.create_group("golden")
        g["labels"] = np.array(labels, np.int64)
        g["inputs"] = np.zeros(inputs_shape, np.float32)
    return change
variant(model, "golden_no_labels.h5", golden(np.zeros(0, np.int64), (0, 1, 1)))
variant(model, "golden_inputs_shape.h5", golden([1, 2], (2, 3, 4)))
