#!/usr/bin/python3
"""Writes a torchvision resnet18 state dict and its logits on a fixed input, for ResNetFromPyTorchTest.

Usage: make_torchvision_resnet18.py OUT_DIR
Writes OUT_DIR/resnet18.pth (torch.save of the state dict, ~45 MB, so it is made by the test, not
committed), OUT_DIR/input.f32 (2x3x64x64) and OUT_DIR/logits.f32 (2x1000), raw little-endian float32.
Needs Debian's python3-torch and python3-torchvision.
"""
import sys

import torch
import torchvision

out = sys.argv[1]
torch.manual_seed(0)
net = torchvision.models.resnet18(weights=None)
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
torch.save(net.state_dict(), out + "/resnet18.pth")
torch.manual_seed(1)
x = torch.randn(2, 3, 64, 64)
with torch.no_grad():
    y = net(x)
x.numpy().astype("<f4").tofile(out + "/input.f32")
y.numpy().astype("<f4").tofile(out + "/logits.f32")
print(torch.__version__, torchvision.__version__)
