#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The PyTorch peer of `snnsim run`: the same spiking LMUFormer, from the same HDF5 file, run
densely in float32 with Debian's python3-torch (eval mode, batched over images, each LIF a loop
over time steps). It checks itself against the file's /golden logits, then times the Fashion-MNIST
test set at the requested batch sizes and thread counts and prints one JSON object.

Fastest path on Debian: every Linear runs as a K = 1 conv1d (oneDNN), because Debian's default
libblas.so.3 is the netlib reference BLAS and makes F.linear 2-3x slower; BatchNorms are folded
into the convolution before them or applied as one fused multiply-add on a stream.

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


class Model:
    def __init__(self, w, cfg):
        self.T = cfg["data"]["steps"]
        self.vth = {k: v["v_threshold"] for k, v in cfg["neurons"].items()}
        self.w = w
        self.depth = 0
        while f"block.{self.depth}.attn.lmu.H" in w:
            self.depth += 1
        p = "patch_embed."
        self.pe = [fold(w[p + c + ".weight"], None, w, p + b)
                   for c, b in (("proj_conv", "proj_bn"), ("proj_conv1", "proj_bn1"), ("proj_conv2", "proj_bn2"))]
        self.c3 = w[p + "proj_conv3.weight"]
        self.bn3 = bn_affine(w, p + "proj_bn3")
        self.rpe = w[p + "rpe_conv.weight"]
        self.blocks = []
        for j in range(self.depth):
            b = f"block.{j}."
            H = w[b + "attn.lmu.H"]  # [M, L]: causal filter, flipped for cross-correlation
            wh, bh = fold(w[b + "attn.lmu.W_h.weight"], w[b + "attn.lmu.W_h.bias"], w, b + "attn.lmu.bn_h")
            wu, bu = fold(w[b + "attn.lmu.W_u.weight"], w[b + "attn.lmu.W_u.bias"], w, b + "attn.lmu.bn_u")
            pc, pb = fold(w[b + "attn.proj_conv.weight"], w[b + "attn.proj_conv.bias"], w, b + "attn.proj_bn")
            f1, f1b = fold(w[b + "mlp.fc1_conv.weight"], w[b + "mlp.fc1_conv.bias"], w, b + "mlp.fc2_bn")
            self.blocks.append(dict(
                prev=bn_affine(w, b + "attn.prev_bn"), wu=wu.unsqueeze(-1), bu=bu,
                H=H.flip(1).unsqueeze(1), L=H.shape[1], bn_m=bn_affine(w, b + "attn.lmu.bn_m"),
                wh=wh.unsqueeze(-1), bh=bh, pc=pc, pb=pb, fc1=bn_affine(w, b + "mlp.fc1_bn"),
                f1=f1, f1b=f1b, f2=w[b + "mlp.fc2_conv.weight"], f2b=w[b + "mlp.fc2_conv.bias"], name=b))
        self.head_bn = bn_affine(w, "head_bn")
        self.head = (w["head.weight"].unsqueeze(-1), w["head.bias"])

    def lif(self, current, vth):
        """current [B, C, T] -> spikes [B, C, T]; spikingjelly's float32 order, H = V + (I - V) / 2.
        Time-major contiguous slices and in-place ops: the loop over steps is the peer's bottleneck."""
        cur = current.permute(2, 0, 1).contiguous()
        out = torch.empty_like(cur)
        v = torch.zeros_like(cur[0])
        for t in range(cur.shape[0]):
            h = torch.sub(cur[t], v).div_(2.0).add_(v)
            fired = h >= vth
            out[t] = fired
            v = h.masked_fill_(fired, 0.0)  # hard reset to 0
        return out.permute(1, 2, 0)

    @staticmethod
    def aff(x, ab):
        a, b = ab
        return x * a[None, :, None] + b[None, :, None]

    def forward(self, x):  # x [B, T, F]
        x = x.transpose(1, 2)
        p = "patch_embed."
        s = x
        for (cw, cb), lif in zip(self.pe, ("proj_lif", "proj_lif1", "proj_lif2")):
            s = self.lif(F.conv1d(s, cw, cb, padding=1), self.vth[p + lif])
        e3 = F.conv1d(s, self.c3, padding=1)
        s3 = self.lif(self.aff(e3, self.bn3), self.vth[p + "proj_lif3"])
        z = e3 + F.conv1d(s3, self.rpe, padding=1)
        for b in self.blocks:
            n = b["name"]
            pp = self.lif(self.aff(z, b["prev"]), self.vth[n + "attn.prev_lif"])
            u = self.lif(F.conv1d(pp, b["wu"], b["bu"]), self.vth[n + "attn.lmu.f_u"])
            m = F.conv1d(F.pad(u, (b["L"] - 1, 0)), b["H"])
            q = self.lif(self.aff(m, b["bn_m"]), self.vth[n + "attn.lmu.f_m"])
            h = self.lif(F.conv1d(torch.cat([q, pp], 1), b["wh"], b["bh"]), self.vth[n + "attn.lmu.f_h"])
            z = z + F.conv1d(h, b["pc"], b["pb"])
            g1 = self.lif(self.aff(z, b["fc1"]), self.vth[n + "mlp.fc1_lif"])
            g2 = self.lif(F.conv1d(g1, b["f1"], b["f1b"]), self.vth[n + "mlp.fc2_lif"])
            z = z + F.conv1d(g2, b["f2"], b["f2b"])
        sh = self.lif(self.aff(z, self.head_bn), self.vth["head_lif"])
        return F.conv1d(sh, *self.head).mean(-1)


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
    result = {"available": True, "torch_version": torch.__version__, "path": "conv1d (oneDNN) for every linear layer"}
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
