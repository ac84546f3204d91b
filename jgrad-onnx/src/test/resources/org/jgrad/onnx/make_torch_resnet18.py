"""Writes the PyTorch-exported ONNX fixture for OnnxTorchImportTest (run with Debian's /usr/bin/python3,
which has python3-torch and python3-torchvision):

    /usr/bin/python3 make_torch_resnet18.py

torchvision's ResNet-18 (BasicBlock, [2, 2, 2, 2]) at one sixteenth of its width (channels 4, 8, 16, 32
instead of 64 ... 512) so that the file stays small (~0.2 MB), 10 classes, random weights and random
batch-norm statistics, exported by torch.onnx.export in evaluation mode (opset 17, free batch
dimension), which folds each batch norm into its convolution as it does for the full model. Writes:

  resnet18_w16.onnx         the model
  resnet18_w16.input.f32    a [2, 3, 32, 32] batch, little-endian float32
  resnet18_w16.output.f32   PyTorch's logits for it, [2, 10]
"""
import torch
import torch.nn as nn
from torchvision.models.resnet import ResNet, BasicBlock


class NarrowResNet18(ResNet):
    """torchvision's ResNet-18 with every stage's width divided by 16."""

    def _make_layer(self, block, planes, blocks, stride=1, dilate=False):
        return super()._make_layer(block, planes // 16, blocks, stride, dilate)


def main():
    torch.manual_seed(18)
    m = NarrowResNet18(BasicBlock, [2, 2, 2, 2], num_classes=10)
    # The stem was built at full width (64) before the stages; narrow it and the first block to match.
    m.inplanes = 4
    m.conv1 = nn.Conv2d(3, 4, kernel_size=7, stride=2, padding=3, bias=False)
    m.bn1 = nn.BatchNorm2d(4)
    m.layer1[0].conv1 = nn.Conv2d(4, 4, kernel_size=3, stride=1, padding=1, bias=False)
    m.layer1[0].downsample = None
    m.fc = nn.Linear(32, 10)
    for mod in m.modules():
        if isinstance(mod, nn.BatchNorm2d):
            mod.running_mean.uniform_(-0.5, 0.5)
            mod.running_var.uniform_(0.5, 2.0)
            mod.weight.data.uniform_(0.5, 1.5)
            mod.bias.data.uniform_(-0.5, 0.5)
    m.eval()
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        y = m(x)
    torch.onnx.export(m, x, "resnet18_w16.onnx", opset_version=17, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    x.numpy().astype("<f4").tofile("resnet18_w16.input.f32")
    y.numpy().astype("<f4").tofile("resnet18_w16.output.f32")
    print("torch", torch.__version__, "logits", y[0, :4].tolist())


if __name__ == "__main__":
    main()
