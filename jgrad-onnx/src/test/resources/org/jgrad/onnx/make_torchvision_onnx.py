"""Exports torchvision models with torch.onnx.export for the full-size import check
(OnnxTorchvisionTest, run with -Djgrad.onnx.torchvision=<folder>); nothing it writes is committed.

    /usr/bin/python3 make_torchvision_onnx.py <folder> [model ...]

For each model (random weights, random batch-norm statistics, evaluation mode, opset 17, free batch
dimension) writes <name>.onnx, <name>.input.f32 (a [2, 3, S, S] batch, little-endian float32) and
<name>.output.f32 (PyTorch's logits for it), and <name>.shape holding "2 3 S S".
"""
import os
import sys

import torch
import torchvision

MODELS = ["resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "densenet121", "vgg11_bn", "alexnet",
          "squeezenet1_1", "googlenet", "inception_v3", "shufflenet_v2_x1_0", "efficientnet_b0", "resnext50_32x4d",
          "mnasnet1_0", "regnet_y_400mf"]


def main():
    out = sys.argv[1]
    names = sys.argv[2:] or MODELS
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    for name in names:
        kwargs = {"aux_logits": False, "init_weights": True} if name in ("googlenet", "inception_v3") else {}
        m = getattr(torchvision.models, name)(num_classes=10, **kwargs)
        for mod in m.modules():
            if isinstance(mod, torch.nn.BatchNorm2d):
                mod.running_mean.uniform_(-0.3, 0.3)
                mod.running_var.uniform_(0.5, 2.0)
        m.eval()
        side = 299 if name == "inception_v3" else 224
        x = torch.randn(2, 3, side, side)
        with torch.no_grad():
            y = m(x)
        path = os.path.join(out, name)
        torch.onnx.export(m, x, path + ".onnx", opset_version=17, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
        x.numpy().astype("<f4").tofile(path + ".input.f32")
        y.numpy().astype("<f4").tofile(path + ".output.f32")
        with open(path + ".shape", "w") as f:
            f.write("2 3 %d %d\n" % (side, side))
        print(name, "ok", flush=True)


if __name__ == "__main__":
    main()
