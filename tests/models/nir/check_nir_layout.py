# SPDX-License-Identifier: MIT
"""Checks a NIR file snnsim wrote (tests/models/nir/nir_test.cpp's layered SNN, dt = 0.5 ms)
against the layout of NIR's reference implementation (neuromorphs/NIR nir/serialization.py and
nir/ir/*.py): every dataset's name, dtype and shape, variable-length UTF-8 strings, edges as an
(N, 2) string array, input_type/output_type on every node whose NIR dataclass has them, v_reset
written, and the types matching along every edge. Exits non-zero with a message on a mismatch."""
import sys

import h5py
import numpy as np

path = sys.argv[1]
errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


def is_utf8_vlen(ds):
    info = h5py.check_string_dtype(ds.dtype)
    return info is not None and info.encoding == "utf-8" and info.length is None


f = h5py.File(path, "r")
check(set(f.keys()) == {"version", "node"}, f"root members {sorted(f.keys())}")
check(is_utf8_vlen(f["version"]) and f["version"].shape == (), "version: a scalar UTF-8 string")
g = f["node"]
check(g["type"][()] == b"NIRGraph", "node/type")
edges = g["edges"]
check(is_utf8_vlen(edges) and edges.ndim == 2 and edges.shape[1] == 2, f"edges {edges.dtype} {edges.shape}")
nodes = g["nodes"]

# The members each node type has in NIR's dataclasses (plus its type and metadata).
fields = {
    "Input": {"shape", "input_type"},
    "Output": {"shape", "output_type"},
    "LIF": {"tau", "r", "v_leak", "v_threshold", "v_reset", "input_type", "output_type"},
    "Affine": {"weight", "bias", "input_type", "output_type"},
    "Delay": {"delay", "input_type", "output_type"},
}


def shape_of(node, which):
    t = node["type"][()].decode()
    if t in ("Input", "Output"):
        return tuple(node["shape"][()])
    return tuple(node[which + "_type"][which][()])


for name, node in nodes.items():
    t = node["type"][()].decode()
    check(is_utf8_vlen(node["type"]) and node["type"].shape == (), f"{name}/type")
    check(t in fields, f"{name}: node type {t}")
    if t not in fields:
        continue
    check(set(node.keys()) == fields[t] | {"type", "metadata"}, f"{name}: members {sorted(node.keys())}")
    for k in fields[t]:
        if k.endswith("_type"):
            ds = node[k][k.split("_")[0]]
            check(ds.dtype == np.int64 and ds.shape == (1,), f"{name}/{k}: {ds.dtype} {ds.shape}")
        elif k == "shape":
            check(node[k].dtype == np.int64 and node[k].shape == (1,), f"{name}/shape")
        else:
            check(node[k].dtype == np.float64, f"{name}/{k}: dtype {node[k].dtype}")
    if t == "LIF":
        n = node["tau"].shape
        for k in ("r", "v_leak", "v_threshold", "v_reset"):
            check(node[k].shape == n, f"{name}/{k}: shape {node[k].shape}")
        check(shape_of(node, "input") == n and shape_of(node, "output") == n, f"{name}: types")
    if t == "Affine":
        out, inp = node["weight"].shape
        check(node["bias"].shape == (out,), f"{name}/bias shape")
        check(shape_of(node, "input") == (inp,) and shape_of(node, "output") == (out,), f"{name}: types")
    if t == "Delay":
        check(shape_of(node, "input") == node["delay"].shape, f"{name}: types")
    for k, v in node["metadata"].items():
        check(v.shape == () or k in (), f"{name}/metadata/{k}: a scalar")

for i, (a, b) in enumerate(edges[()]):
    a, b = a.decode(), b.decode()
    check(a in nodes and b in nodes, f"edge {i}: {a} -> {b}")
    if a in nodes and b in nodes:
        check(shape_of(nodes[a], "output") == shape_of(nodes[b], "input"), f"edge {i}: {a} -> {b}: types differ")

# The conversions of nir.hpp, for population b (tau 3 steps, decay_input 0, v_reset -0.25,
# threshold 0.75 inclusive) and the delays (dt = 0.5 ms).
meta = g["metadata"]
check(meta["dt"][()] == 0.0005 and meta["steps"][()] == 20, "graph metadata dt/steps")
check(meta["identity_projections"].shape == (1, 3) and is_utf8_vlen(meta["identity_projections"]), "identity list")
b = nodes["b"]
check(np.all(b["tau"][()] == 3 * 0.0005), "b/tau = tau_steps * dt")
check(np.all(b["r"][()] == 3.0), "b/r = tau_steps (decay_input 0)")
check(np.all(b["v_leak"][()] == -0.25) and np.all(b["v_reset"][()] == -0.25), "b/v_leak = v_reset")
below = np.nextafter(np.float32(0.75), np.float32(-np.inf))
check(np.all(b["v_threshold"][()] == float(below)), "b/v_threshold: the float32 below 0.75")
check(b["metadata"]["v_threshold"][()] == 0.75 and b["metadata"]["tau_steps"][()] == 3.0, "b metadata")
a = nodes["a"]
check(np.all(a["r"][()] == 1.0) and np.all(a["tau"][()] == 2 * 0.0005), "a: r = 1, tau = 2 dt")
# The centred convolution: a lags one step behind the input, so tap k reads with delay 1 - (k - 1).
check(a["metadata"]["lag"][()] == 1, "a lags by 1")
check(np.all(nodes["conv.tap0.delay"]["delay"][()] == 2 * 0.0005), "conv tap 0 delay: 2 steps")
check(np.all(nodes["conv.tap1.delay"]["delay"][()] == 1 * 0.0005), "conv tap 1 delay: 1 step")
check("conv.tap2.delay" not in nodes, "conv tap 2 (look-ahead) has no delay")
check(nodes["conv.tap0"]["weight"].shape == (8, 6), "conv taps are [out, in]")
# syn delays 2 steps, but its source a runs one step late (lag 1) and b does not (lag 0).
check(b["metadata"]["lag"][()] == 0, "b lags by 0")
check(np.all(nodes["syn.delay"]["delay"][()] == 1 * 0.0005), "sparse delay: 2 steps less a's lag of 1")
check(nodes["syn"]["weight"].shape == (5, 8), "sparse weight dense [out, in]")
check(nodes["b.input_affine"]["weight"].shape == (5, 5), "input affine diagonal")
check(nodes["logits"]["type"][()] == b"Output", "output node")

if errors:
    print("\n".join(errors))
    sys.exit(1)
