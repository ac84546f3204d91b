#!/usr/bin/python3
"""Writes torchvision state dicts saved by torch.save and their logits, for TorchvisionPthTest.

Usage: make_torchvision_pth.py OUT_DIR NAME [NAME ...]   (NAME: a torchvision.models builder, e.g. mobilenet_v2)
Writes OUT_DIR/NAME.pth (torch.save of the state dict: 14-32 MB, so the test makes it, nothing is
committed), OUT_DIR/NAME.input.f32 (2x3x64x64) and OUT_DIR/NAME.logits.f32 (2x1000), raw little-endian
float32. Needs Debian's python3-torch and python3-torchvision.
"""
import sys

import torch
import torchvision

out = sys.argv[1]
for name in sys.argv[2:]:
    torch.manual_seed(0)
    net = getattr(torchvision.models, name)(weights=None)
    # Random batch-norm statistics and affine terms, so that evaluation-mode batch norm is not the identity.
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
                m.num_batches_tracked.fill_(7)
    net.eval()
    torch.save(net.state_dict(), f"{out}/{name}.pth")
    torch.manual_seed(1)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        y = net(x)
    x.numpy().astype("<f4").tofile(f"{out}/{name}.input.f32")
    y.numpy().astype("<f4").tofile(f"{out}/{name}.logits.f32")
print(torch.__version__, torchvision.__version__)
