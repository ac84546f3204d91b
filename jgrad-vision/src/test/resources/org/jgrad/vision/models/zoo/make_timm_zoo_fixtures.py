#!/usr/bin/python3
"""Writes timm's logits for the zoo's timm-layout models (TimmZooTest).

Needs PyTorch (Debian's python3-torch 1.13) and timm, e.g. in a venv that sees Debian's torch:
  /usr/bin/python3 -m venv --system-site-packages /work/venv-timm
  /work/venv-timm/bin/pip install --no-deps timm      (written with timm 1.0.29 on torch 1.13.1)
Run: /work/venv-timm/bin/python make_timm_zoo_fixtures.py [name ...]

As make_torchvision_zoo_fixtures.py (whose helpers this reuses): no weights are stored; every
state-dict entry is filled from the formula FormulaWeights.java computes too, and each file holds
the logits in eval mode and, in the metadata, timm's state-dict entries in order ("name d0,d1,..."
a line), which the test rebuilds from the formula and loads into the jgrad model unchanged.

Small inputs are the default test; "-full" files at each model's default size (299, 224, 331) are
the full-size check behind -Djgrad.long=true.
"""
import sys

import numpy as np
import timm
import torch

from make_torchvision_zoo_fixtures import fill, save, uniform

# jgrad entry -> (timm model name, small input side, full input side)
MODELS = {
    "xception": ("legacy_xception", 71, 299),
    "mobilenetv1_100": ("mobilenetv1_100", 64, 224),
    "resnetv2_50": ("resnetv2_50", 64, 224),
    "inception_resnet_v2": ("inception_resnet_v2", 75, 299),
    "nasnetalarge": ("nasnetalarge", 64, 331),
}


def write(name, size, suffix):
    timm_name = MODELS[name][0]
    model = timm.create_model(timm_name, pretrained=False).eval()
    keys = fill(model)
    x = torch.from_numpy((2 * uniform("input", 3 * size * size) - 1).astype(np.float32).reshape(1, 3, size, size))
    with torch.no_grad():
        logits = model(x)
    save(name + suffix, {"logits": logits},
         {"state_dict": "\n".join(keys), "input_size": str(size), "timm_model": timm_name,
          "timm_version": timm.__version__})
    print(name + suffix, tuple(logits.shape), float(logits.abs().max()))


if __name__ == "__main__":
    wanted = sys.argv[1:] or list(MODELS)
    for name in wanted:
        _, small, full = MODELS[name]
        write(name, small, "")
        write(name, full, "-full")
