#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The PyTorch peer of `snnsim run`: the same spiking LMUFormer, from the same HDF5 file, run
densely in float32 with Debian's python3-torch (eval mode, batched over images, each LIF a loop
over time steps). It checks itself against the file's /golden logits, then times the Fashion-MNIST
test set at the requested batch sizes and thread counts and prints one JSON object.

Fastest path on Debian (each measured here against the alternatives):
- every Linear runs as a K = 1 convolution (oneDNN), because Debian's default libblas.so.3 is the
  netlib reference BLAS and makes F.linear 2-3x slower;
- sequences stay [batch, step, channel] throughout and every convolution is oneDNN's
  channels-last conv2d on a [batch, channel, 1, step] view of them: no transposes, and the LIF's
  per-step slices are contiguous rows (1.9x the images/s of [batch, channel, step] sequences with a
  transposed copy per LIF, at batch 256 on one thread);
- the LIF loop writes into preallocated buffers (fresh 512 KB temporaries cost an mmap each);
- BatchNorms are folded into the convolution before them or applied as one fused multiply-add.

Usage: pytorch_peer.py MODEL.h5 [--data DIR] [--images N] [--batch 1,32,256] [--threads 1,2]
"""
import argparse
import gzip
import json
import sys
import time

try:
    import h5py
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:  # the caller treats exit status 3 as "peer not available"
    print(json.dumps({"available": False, "reason": str(e)}))
    sys.exit(3)


def load(path):
    f = h5py.File(path, "r")
    w = {k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in f["weights"].items()}
    cfg = json.loads(f.attrs["config_json"])
    return f, w, cfg


def bn_affine(w, p):
    a = w[p + ".weight"] / torch.sqrt(w[p + ".running_var"] + 1e-5)
    return a, w[p + ".bias"] - w[p + ".running_mean"] * a


def fold(weight, bias, w, bn):
    a, b = bn_affine(w, bn)
    shape = (-1,) + (1,) * (weight.dim() - 1)
    new_bias = b if bias is None else (bias - w[bn + ".running_mean"]) * a + w[bn + ".bias"]
    return weight * a.reshape(shape), new_bias


def kernel(weight):
    """[out, in] or [out, in, K] -> [out, in, 1, K] channels last, the layout Model.conv runs."""
    if weight.dim() == 2:
        weight = weight.unsqueeze(-1)
    return weight.unsqueeze(2).contiguous(memory_format=torch.channels_last)


class Model:
    def __init__(self, w, cfg):
        self.T = cfg["data"]["steps"]
        self.vth = {k: v["v_threshold"] for k, v in cfg["neurons"].items()}
        self.w = w
        self.depth = 0
        while f"block.{self.depth}.attn.lmu.H" in w:
            self.depth += 1
        p = "patch_embed."
        self.pe = [(kernel(cw), cb) for cw, cb in (
            fold(w[p + c + ".weight"], None, w, p + b)
            for c, b in (("proj_conv", "proj_bn"), ("proj_conv1", "proj_bn1"), ("proj_conv2", "proj_bn2")))]
        self.c3 = kernel(w[p + "proj_conv3.weight"])
        self.bn3 = bn_affine(w, p + "proj_bn3")
        self.rpe = kernel(w[p + "rpe_conv.weight"])
        self.blocks = []
        for j in range(self.depth):
            b = f"block.{j}."
            H = w[b + "attn.lmu.H"]  # [M, L]: causal filter, flipped for cross-correlation
            wh, bh = fold(w[b + "attn.lmu.W_h.weight"], w[b + "attn.lmu.W_h.bias"], w, b + "attn.lmu.bn_h")
            wu, bu = fold(w[b + "attn.lmu.W_u.weight"], w[b + "attn.lmu.W_u.bias"], w, b + "attn.lmu.bn_u")
            pc, pb = fold(w[b + "attn.proj_conv.weight"], w[b + "attn.proj_conv.bias"], w, b + "attn.proj_bn")
            f1, f1b = fold(w[b + "mlp.fc1_conv.weight"], w[b + "mlp.fc1_conv.bias"], w, b + "mlp.fc2_bn")
            self.blocks.append(dict(
                prev=bn_affine(w, b + "attn.prev_bn"), wu=kernel(wu), bu=bu,
                H=kernel(H.flip(1).unsqueeze(1)), L=H.shape[1], bn_m=bn_affine(w, b + "attn.lmu.bn_m"),
                wh=kernel(wh), bh=bh, pc=kernel(pc), pb=pb, fc1=bn_affine(w, b + "mlp.fc1_bn"),
                f1=kernel(f1), f1b=f1b, f2=kernel(w[b + "mlp.fc2_conv.weight"]), f2b=w[b + "mlp.fc2_conv.bias"],
                name=b))
        self.head_bn = bn_affine(w, "head_bn")
        self.head = (kernel(w["head.weight"]), w["head.bias"])

    @staticmethod
    def lif(current, vth):
        """current [B, T, C] -> spikes [B, T, C]; spikingjelly's float32 order, H = V + (I - V) / 2.
        The loop over steps is the peer's bottleneck: each step is four in-place ops on
        preallocated [B, C] buffers (a fresh 512 KB tensor per op costs an mmap and page faults)."""
        out = torch.empty_like(current)
        v = torch.zeros_like(current[:, 0])
        h, keep = torch.empty_like(v), torch.empty_like(v)
        for t in range(current.shape[1]):
            torch.sub(current[:, t], v, out=h).div_(2.0).add_(v)
            torch.ge(h, vth, out=out[:, t])
            torch.lt(h, vth, out=keep)
            torch.mul(h, keep, out=v)  # hard reset to 0
        return out

    @staticmethod
    def conv(x, weight, bias=None, pad=0):
        """Conv1d over time of x [B, T, C] (channels last), as oneDNN's channels-last conv2d: it reads
        and writes [B, T, C] memory directly, so no sequence is ever transposed."""
        y = F.conv2d(x.transpose(1, 2).unsqueeze(2), weight, bias, padding=(0, pad))
        return y.squeeze(2).transpose(1, 2)

    @staticmethod
    def aff(x, ab):
        a, b = ab
        return torch.addcmul(b, x, a)

    def forward(self, x):  # x [B, T, F]
        p = "patch_embed."
        s = x
        for (cw, cb), lif in zip(self.pe, ("proj_lif", "proj_lif1", "proj_lif2")):
            s = self.lif(self.conv(s, cw, cb, 1), self.vth[p + lif])
        e3 = self.conv(s, self.c3, pad=1)
        s3 = self.lif(self.aff(e3, self.bn3), self.vth[p + "proj_lif3"])
        z = e3 + self.conv(s3, self.rpe, pad=1)
        for b in self.blocks:
            n = b["name"]
            pp = self.lif(self.aff(z, b["prev"]), self.vth[n + "attn.prev_lif"])
            u = self.lif(self.conv(pp, b["wu"], b["bu"]), self.vth[n + "attn.lmu.f_u"])
            m = self.conv(F.pad(u, (0, 0, b["L"] - 1, 0)), b["H"])
            q = self.lif(self.aff(m, b["bn_m"]), self.vth[n + "attn.lmu.f_m"])
            h = self.lif(self.conv(torch.cat([q, pp], 2), b["wh"], b["bh"]), self.vth[n + "attn.lmu.f_h"])
            z = z + self.conv(h, b["pc"], b["pb"])
            g1 = self.lif(self.aff(z, b["fc1"]), self.vth[n + "mlp.fc1_lif"])
            g2 = self.lif(self.conv(g1, b["f1"], b["f1b"]), self.vth[n + "mlp.fc2_lif"])
            z = z + self.conv(g2, b["f2"], b["f2b"])
        sh = self.lif(self.aff(z, self.head_bn), self.vth["head_lif"])
        return self.conv(sh, *self.head).mean(1)


def read_images(data_dir, n, steps, features):
    with gzip.open(f"{data_dir}/t10k-images-idx3-ubyte.gz") as f:
        raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    with gzip.open(f"{data_dir}/t10k-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)
    pixels = raw.reshape(-1, 784)[:n].astype(np.float32) / np.float32(255.0)
    return torch.from_numpy(pixels.reshape(-1, steps, features).copy()), torch.from_numpy(labels[:n].astype(np.int64))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--images", type=int, default=10000)
    ap.add_argument("--batch", default="1,32,256")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--batch1-images", type=int, default=500, help="images timed at batch size 1 (slow)")
    args = ap.parse_args()

    f, w, cfg = load(args.model)
    model = Model(w, cfg)
    T, Fe = cfg["data"]["steps"], cfg["data"]["features"]
    result = {"available": True, "torch_version": torch.__version__, "path": "channels-last conv2d (oneDNN) for every convolution and linear layer"}
    with torch.no_grad():
        if "golden" in f:
            robust = ~np.array(f["golden/fragile"], dtype=bool)
            out = model.forward(torch.from_numpy(np.array(f["golden/inputs"], dtype=np.float32))).numpy()
            err = np.abs(out - np.array(f["golden/logits"]))[robust].max()
            result["golden_max_logit_error"] = float(err)
            if err > 1e-4:
                print(json.dumps({"available": False, "reason": f"peer disagrees with /golden/logits by {err}"}))
                return 1
        x, labels = read_images(args.data, args.images, T, Fe)
        runs = []
        for threads in [int(t) for t in args.threads.split(",")]:
            torch.set_num_threads(threads)
            for batch in [int(b) for b in args.batch.split(",")]:
                n = min(args.images, args.batch1_images) if batch == 1 else args.images
                model.forward(x[:batch])  # warm-up
                correct = 0
                start = time.perf_counter()
                for i in range(0, n, batch):
                    correct += int((model.forward(x[i:i + batch]).argmax(1) == labels[i:i + batch]).sum())
                secs = time.perf_counter() - start
                runs.append({"threads": threads, "batch": batch, "images": n, "seconds": secs,
                             "images_per_second": n / secs, "accuracy": correct / n})
        result["runs"] = runs
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
