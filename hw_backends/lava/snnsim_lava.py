# SPDX-License-Identifier: MIT
"""The Python side of snnsim's Lava bridge (hw_backends/lava/lava_backend.hpp), called through the
CPython C API with one JSON string and answering with one.

A network is a chain of layers, each a Loihi CUBA compartment group fed by one Dense synapse
group from the layer before it (layer 0 reads the spike input), with integers from snnsim's Loihi
quantiser (hw_backends/loihi/quantizer.hpp):
    {"steps": T, "ticks": T + depth, "input_size": n,
     "layers": [{"size": m, "weights": [[...m rows of n...]], "weight_exp": e,
                 "du": du, "dv": dv, "vth": vth}, ...],
     "spikes": [[tick, neuron], ...]}                      (the input spikes of one trial)
The answer is {"spikes": [[[tick, neuron], ...] per layer]} with ticks of the chain clock: the
input emits its step t at tick t, layer i (from 1) computes step t at tick t + i from the spikes
the layer before emitted at tick t + i - 1.

Two engines compute it:
  - "lava": Lava processes (io.source.RingBuffer -> Dense -> LIF -> ... with io.sink.RingBuffer
    probes) run by Lava's bit-accurate CPU simulation, Loihi2SimCfg(select_tag="fixed_pt");
  - "numpy": the same integer arithmetic written out with numpy (neurons/loihi_cuba.hpp's
    equations), so that the embedding is exercised where Lava is not installed.
"""
import json

import numpy as np


def lava_status(_request=""):
    """'' when Lava imports, else the reason (for snnsim's one-line message)."""
    try:
        import lava.magma.core.run_configs  # noqa: F401
        import lava.proc.lif.process  # noqa: F401
    except Exception as e:  # ImportError, or a Lava that fails on this Python
        return f"{type(e).__name__}: {e}"
    return ""


def _decay(x, d):
    p = x * (4096 - d)
    return np.sign(p) * (np.abs(p) >> 12)


def _run_numpy(spec, spikes_in):
    ticks, n_in = spec["ticks"], spec["input_size"]
    layers = spec["layers"]
    state = [(np.zeros(l["size"], dtype=np.int64), np.zeros(l["size"], dtype=np.int64)) for l in layers]
    weights = [np.asarray(l["weights"], dtype=np.int64).reshape(l["size"], -1) for l in layers]
    emitted = [np.zeros(n_in, dtype=np.int64)] + [np.zeros(l["size"], dtype=np.int64) for l in layers]
    out = [[] for _ in layers]
    by_tick = {}
    for t, i in spikes_in:
        by_tick.setdefault(t, []).append(i)
    for tick in range(ticks):
        last = emitted
        emitted = [np.zeros_like(e) for e in last]
        for i in by_tick.get(tick, []):
            emitted[0][i] = 1
        for k, l in enumerate(layers):
            a = weights[k] @ last[k]
            e = l["weight_exp"]
            a = a << e if e >= 0 else a >> -e
            u, v = state[k]
            u = _decay(u, l["du"] + 1) + (a << 6)
            m = 1 << 23
            u = np.where(u > m, u - 2 * m, u)
            v = np.clip(_decay(v, l["dv"]) + u, -(m - 1), m - 1)
            fire = v > (l["vth"] << 6)
            v = np.where(fire, 0, v)
            state[k] = (u, v)
            emitted[k + 1] = fire.astype(np.int64)
            out[k] += [[tick, int(j)] for j in np.flatnonzero(fire)]
    return out


def _run_lava(spec, spikes_in):
    from lava.magma.core.run_conditions import RunSteps
    from lava.magma.core.run_configs import Loihi2SimCfg
    from lava.proc.dense.process import Dense
    from lava.proc.io.sink import RingBuffer as Sink
    from lava.proc.io.source import RingBuffer as Source
    from lava.proc.lif.process import LIF

    ticks = spec["ticks"]
    data = np.zeros((spec["input_size"], ticks), dtype=np.int64)
    for t, i in spikes_in:
        data[i, t] = 1
    source = Source(data=data)
    port, sinks = source.s_out, []
    for l in spec["layers"]:
        w = np.asarray(l["weights"], dtype=np.int64).reshape(l["size"], -1)
        dense = Dense(weights=w, weight_exp=l["weight_exp"], num_weight_bits=8)
        lif = LIF(shape=(l["size"],), du=l["du"], dv=l["dv"], vth=l["vth"], bias_mant=0, bias_exp=0)
        sink = Sink(shape=(l["size"],), buffer=ticks + 1)
        port.connect(dense.s_in)
        dense.a_out.connect(lif.a_in)
        lif.s_out.connect(sink.a_in)
        port = lif.s_out
        sinks.append(sink)
    source.run(condition=RunSteps(num_steps=ticks + 1), run_cfg=Loihi2SimCfg(select_tag="fixed_pt"))
    try:
        recorded = [s.data.get() for s in sinks]
    finally:
        source.stop()
    # Lava step k (from 1) sends the source's column k - 1 and the sinks store step k in their
    # column k - 1; with Dense's one-step delay, sink column c holds chain tick c (checked against
    # the numpy engine spike for spike).
    out = []
    for r in recorded:
        cols, neurons = np.nonzero(r.T)
        out.append([[int(c), int(j)] for c, j in zip(cols, neurons) if int(c) < ticks])
    return out


def run(request):
    spec = json.loads(request)
    for k in ("steps", "ticks", "input_size", "layers", "spikes", "engine"):
        if k not in spec:
            raise KeyError(f"request without '{k}'")
    n = spec["input_size"]
    for l in spec["layers"]:
        w = np.asarray(l["weights"])
        if w.shape != (l["size"], n):
            raise ValueError(f"weights of shape {w.shape} for a layer of {l['size']} reading {n}")
        n = l["size"]
    engine = {"numpy": _run_numpy, "lava": _run_lava}.get(spec["engine"])
    if engine is None:
        raise ValueError(f"unknown engine '{spec['engine']}' (lava or numpy)")
    return json.dumps({"spikes": engine(spec, spec["spikes"])})
