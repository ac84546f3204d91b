#!/usr/bin/python3
"""Writes torchvision's logits for the zoo's torchvision-layout models (TorchvisionZooTest).

Needs PyTorch and torchvision (Debian: apt-get install python3-torch python3-torchvision).
Run: /usr/bin/python3 make_torchvision_zoo_fixtures.py   (written with torch 1.13.1, torchvision 0.14.1)

No weights are stored: every state-dict entry is filled from a formula that jgrad's test computes
too (FormulaWeights.java), so each file holds only the logits, a few KB. The formula hashes the
entry's name (Java's String.hashCode) and the element index (a murmur3-style finalizer) to u in
[0, 1), then: conv/linear weights (2u - 1) * sqrt(6 / fan_in); batch-norm weights and running
variances 0.5 + u; biases and running means 0.2 * (u - 0.5). The input is 2u - 1 under the name
"input". Each file: "logits" of the model in eval mode, for auxiliary heads "aux*" = the head
applied (in eval mode) to the features it reads, and in the metadata "state_dict" the entries'
names and shapes in order, one "name d0,d1,..." a line, so the test also checks torchvision's key names.

Small inputs (64x64, 75x75 for Inception v3) are the default test; "-full" files at 224x224 (299)
are the full-size check behind -Djgrad.long=true.
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
M = 0xFFFFFFFF


def java_hash(s):
    h = 0
    for ch in s:
        h = (31 * h + ord(ch)) & M
    return h


def uniform(name, n):
    """u[i] in [0, 1) for i < n, as FormulaWeights.uniform computes it."""
    i = np.arange(n, dtype=np.uint64)
    x = (np.uint64(java_hash(name)) + i * np.uint64(0x9E3779B9)) & np.uint64(M)
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x85EBCA6B)) & np.uint64(M)
    x ^= x >> np.uint64(13)
    x = (x * np.uint64(0xC2B2AE35)) & np.uint64(M)
    x ^= x >> np.uint64(16)
    return x.astype(np.float64) / 4294967296.0


def formula(name, shape):
    n = int(np.prod(shape)) if len(shape) else 1
    u = uniform(name, n)
    if name.endswith("running_var") or (name.endswith("weight") and len(shape) == 1):
        v = 0.5 + u
    elif name.endswith("running_mean") or name.endswith("bias"):
        v = 0.2 * (u - 0.5)
    else:
        fan_in = n // shape[0]
        v = (2 * u - 1) * math.sqrt(6.0 / fan_in)
    return torch.from_numpy(v.astype(np.float32).reshape(shape))


def fill(model):
    sd = model.state_dict()
    keys = []
    for k, t in sd.items():
        keys.append(k + " " + ",".join(str(d) for d in t.shape))
        if k.endswith("num_batches_tracked"):
            continue
        t.copy_(formula(k, list(t.shape)))
    return keys


def save(name, tensors, metadata):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for key, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().tobytes()
        header[key] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(os.path.join(HERE, name + ".safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def zfnet():
    """The zoo's reading of the ZF Net paper, in PyTorch (not in torchvision): see ZFNet.java."""
    nn = torch.nn
    m = nn.Module()
    m.features = nn.Sequential(
        nn.Conv2d(3, 96, 7, 2, 1), nn.ReLU(), nn.MaxPool2d(3, 2, 1), nn.LocalResponseNorm(5, 1e-4, 0.75, 2.0),
        nn.Conv2d(96, 256, 5, 2, 0), nn.ReLU(), nn.MaxPool2d(3, 2, 1), nn.LocalResponseNorm(5, 1e-4, 0.75, 2.0),
        nn.Conv2d(256, 384, 3, 1, 1), nn.ReLU(), nn.Conv2d(384, 384, 3, 1, 1), nn.ReLU(),
        nn.Conv2d(384, 256, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(3, 2))
    m.avgpool = nn.AdaptiveAvgPool2d((6, 6))
    m.classifier = nn.Sequential(nn.Dropout(), nn.Linear(9216, 4096), nn.ReLU(), nn.Dropout(), nn.Linear(4096, 4096),
                                 nn.ReLU(), nn.Linear(4096, 1000))
    m.forward = lambda x: m.classifier(torch.flatten(m.avgpool(m.features(x)), 1))
    return m


MODELS = {
    "mobilenet_v2": (lambda: torchvision.models.mobilenet_v2(), {}, 64, 224),
    "densenet121": (lambda: torchvision.models.densenet121(), {}, 64, 224),
    "densenet169": (lambda: torchvision.models.densenet169(), {}, None, 224),
    "densenet201": (lambda: torchvision.models.densenet201(), {}, None, 224),
    "resnext50_32x4d": (lambda: torchvision.models.resnext50_32x4d(), {}, 64, 224),
    "resnext101_32x8d": (lambda: torchvision.models.resnext101_32x8d(), {}, None, 224),
    "googlenet": (lambda: torchvision.models.googlenet(aux_logits=True, init_weights=False),
                  {"aux1": "inception4a", "aux2": "inception4d"}, 64, 224),
    "inception_v3": (lambda: torchvision.models.inception_v3(aux_logits=True, init_weights=False),
                     {"AuxLogits": "Mixed_6e"}, 75, 299),
    "zfnet": (zfnet, {}, 64, 224),
}


def write(name, size, suffix):
    make, aux, _, _ = MODELS[name]
    model = make().eval()
    keys = fill(model)
    x = torch.from_numpy((2 * uniform("input", 3 * size * size) - 1).astype(np.float32).reshape(1, 3, size, size))
    seen = {}
    for head, src in aux.items():
        getattr(model, src).register_forward_hook(lambda mod, inp, out, head=head: seen.__setitem__(head, out))
    with torch.no_grad():
        out = {"logits": model(x)}
        for head in aux:
            feats = seen[head]
            if min(feats.shape[-2:]) >= (17 if head == "AuxLogits" else 1):
                out[head] = getattr(model, head)(feats)
    save(name + suffix, out, {"state_dict": "\n".join(keys), "input_size": str(size)})
    print(name + suffix, {k: tuple(v.shape) for k, v in out.items()}, float(out["logits"].abs().max()))


if __name__ == "__main__":
    wanted = sys.argv[1:] or list(MODELS)
    for name in wanted:
        _, _, small, full = MODELS[name]
        if small:
            write(name, small, "")
        write(name, full, "-full")
