#!/usr/bin/python3
"""Writes the reference values of the fused training-mode batch norm + residual add + ReLU
(FusedBatchNormReluTest), with real PyTorch.

Needs PyTorch (Debian: apt-get install python3-torch).
Run: /usr/bin/python3 make_batch_norm_relu_fixtures.py   (written with torch 1.13.1)

Writes batch_norm_relu.safetensors next to this script (float32, a few KB; the file format is written
by hand so that nothing beyond torch is needed). For each case (a: 5x4 planes, batch norm plane by plane;
b: 2x2 planes, image row by image row; c: 1x1 planes) it holds the input `x`, the residual `r`, the
layer's `weight` and `bias`, a fixed upstream gradient `gy`, the outputs `y1` = relu(bn(x)) and
`y2` = relu(bn(x) + r), the gradients of sum(y * gy) with respect to x, weight, bias (and r for y2),
and the running statistics after one training step from the defaults (momentum 0.1).
"""
import json
import os
import struct

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, tensors):
    header, blobs, offset = {}, [], 0
    for key, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().tobytes()
        header[key] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(os.path.join(HERE, name + ".safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def case(tag, n, c, h, w, seed, out):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, c, h, w, generator=g) * 2 + 0.5
    r = torch.randn(n, c, h, w, generator=g)
    weight = torch.rand(c, generator=g) + 0.5
    bias = torch.randn(c, generator=g) * 0.3
    gy = torch.randn(n, c, h, w, generator=g)
    out.update({tag + ".x": x, tag + ".r": r, tag + ".weight": weight, tag + ".bias": bias, tag + ".gy": gy})
    for k, with_residual in (("y1", False), ("y2", True)):
        bn = torch.nn.BatchNorm2d(c)
        with torch.no_grad():
            bn.weight.copy_(weight)
            bn.bias.copy_(bias)
        bn.train()
        xi = x.clone().requires_grad_(True)
        ri = r.clone().requires_grad_(True)
        z = bn(xi)
        y = torch.relu(z + ri if with_residual else z)
        (y * gy).sum().backward()
        out.update({tag + "." + k: y, tag + "." + k + ".gx": xi.grad, tag + "." + k + ".gweight": bn.weight.grad,
                    tag + "." + k + ".gbias": bn.bias.grad, tag + "." + k + ".running_mean": bn.running_mean,
                    tag + "." + k + ".running_var": bn.running_var})
        if with_residual:
            out[tag + "." + k + ".gr"] = ri.grad


def main():
    out = {}
    case("a", 3, 4, 5, 4, 1, out)
    case("b", 5, 3, 2, 2, 2, out)
    case("c", 6, 5, 1, 1, 3, out)
    save("batch_norm_relu", out)


if __name__ == "__main__":
    main()
