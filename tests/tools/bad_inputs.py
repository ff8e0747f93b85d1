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
