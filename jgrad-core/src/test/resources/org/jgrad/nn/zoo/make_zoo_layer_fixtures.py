#!/usr/bin/python3
"""Writes the reference outputs and gradients for the zoo layers (ZooLayersTest), with real PyTorch.

Needs PyTorch and torchvision (Debian: apt-get install python3-torch python3-torchvision).
Run: /usr/bin/python3 make_zoo_layer_fixtures.py   (written with torch 1.13.1, torchvision 0.14.1)

One safetensors file per layer, next to this script, all float32, a few KB each. The file format
is written by hand (8-byte little-endian header length, JSON header, raw data) so that nothing
beyond torch is needed. Each file holds the input `x`, the layer's output `y`, a fixed upstream
gradient `gy` and the input gradient `gx` = d(sum(y * gy))/dx, plus the layer's parameters or
random draws where it has them.
"""
import json
import os
import struct

import torch
import torch.nn.functional as F

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


def forward_backward(layer, x, seed):
    x = x.clone().requires_grad_(True)
    y = layer(x)
    gy = torch.randn(y.shape, generator=torch.Generator().manual_seed(seed))
    (y * gy).sum().backward()
    return {"x": x, "y": y, "gy": gy, "gx": x.grad}


def relu6():
    g = torch.Generator().manual_seed(1)
    x = torch.rand(2, 3, 4, 5, generator=g) * 10 - 2
    # the kinks, where PyTorch's gradient is 0
    x[0, 0, 0, :3] = torch.tensor([0.0, 6.0, -0.0])
    save("relu6", forward_backward(torch.nn.ReLU6(), x, 2))


def zero_pad2d():
    g = torch.Generator().manual_seed(3)
    x = torch.randn(2, 3, 5, 6, generator=g)
    out = {}
    for tag, pad in {"a": (1, 2, 3, 0), "b": (0, 1, 0, 1), "c": (-1, 2, 1, -2)}.items():
        r = forward_backward(torch.nn.ZeroPad2d(pad), x, 4)
        if tag == "a":
            out["x"] = r["x"]
        out.update({tag + ".y": r["y"], tag + ".gy": r["gy"], tag + ".gx": r["gx"]})
    save("zeropad2d", out)


def stochastic_depth():
    import torchvision
    from torchvision.ops import StochasticDepth
    g = torch.Generator().manual_seed(5)
    x = torch.rand(8, 3, 2, 2, generator=g) + 0.5  # no zeros, so y != 0 tells which rows survived
    out = {"x": x}
    for mode in ("row", "batch"):
        torch.manual_seed(6 if mode == "row" else 9)  # StochasticDepth draws from the global generator
        layer = StochasticDepth(0.375, mode).train()
        r = forward_backward(layer, x, 7)
        keep = (r["y"].detach().flatten(1) != 0).all(1).float()
        out.update({mode + ".keep": keep if mode == "row" else keep[:1], mode + ".y": r["y"],
                    mode + ".gy": r["gy"], mode + ".gx": r["gx"]})
    # the linear decay rule as torchvision's EfficientNet-B0 applies it (blocks counted from 0)
    net = torchvision.models.efficientnet_b0(stochastic_depth_prob=0.2)
    out["efficientnet_b0.p"] = torch.tensor([m.p for m in net.modules() if isinstance(m, StochasticDepth)])
    save("stochastic_depth", out)


def fractional_max_pool2d():
    g = torch.Generator().manual_seed(10)
    x = torch.randn(2, 3, 9, 10, generator=g)
    x[1, 2, 4, 4] = float("nan")
    out = {"x": x}
    cases = {"size": dict(kernel_size=(3, 2), output_size=(4, 5)),
             "ratio": dict(kernel_size=2, output_ratio=(0.5, 0.7)),
             "one": dict(kernel_size=3, output_size=(1, 6))}
    for tag, kwargs in cases.items():
        samples = torch.rand(2, 3, 2, generator=g)
        layer = torch.nn.FractionalMaxPool2d(return_indices=True, _random_samples=samples, **kwargs)
        xx = x.clone().requires_grad_(True)
        y, idx = layer(xx)
        gy = torch.randn(y.shape, generator=torch.Generator().manual_seed(11))
        y.backward(gy)  # the output holds a NaN: pass the upstream gradient as is
        out.update({tag + ".samples": samples, tag + ".y": y, tag + ".indices": idx.float(),
                    tag + ".gy": gy, tag + ".gx": xx.grad})
    save("fractional_max_pool2d", out)


def locally_connected2d():
    """jgrad's layout computed with unfold + einsum, checked against Keras' own computation order."""
    g = torch.Generator().manual_seed(20)
    n, c, h, w, kh, kw, sh, sw, f = 2, 3, 7, 8, 3, 2, 2, 1, 4
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    L, K = oh * ow, c * kh * kw
    x = torch.randn(n, c, h, w, generator=g)
    # Keras' kernel [L, kH*kW*C, F] (patch over kh, kw, c) and bias [outH, outW, F] ...
    keras_kernel = torch.randn(L, kh * kw * c, f, generator=g) * 0.3
    keras_bias = torch.randn(oh, ow, f, generator=g)
    # ... mapped to jgrad's layout as LocallyConnected2d's Javadoc states
    weight = keras_kernel.reshape(L, kh, kw, c, f).permute(0, 4, 3, 1, 2).reshape(L, f, K).contiguous()
    bias = keras_bias.reshape(L, f)

    xx, ww, bb = (t.clone().requires_grad_(True) for t in (x, weight, bias))
    cols = F.unfold(xx, (kh, kw), stride=(sh, sw))                     # [N, C*kH*kW, L], patch over (c, kh, kw)
    y = (torch.einsum("nkl,lfk->nfl", cols, ww) + bb.t()).reshape(n, f, oh, ow)
    gy = torch.randn(y.shape, generator=torch.Generator().manual_seed(21))
    (y * gy).sum().backward()

    # Keras' LocallyConnected2D (implementation 1), step by step on NHWC
    nhwc = x.permute(0, 2, 3, 1)
    keras_y = torch.empty(n, oh, ow, f)
    for i in range(oh):
        for j in range(ow):
            patch = nhwc[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :].reshape(n, -1)  # (kh, kw, c), c fastest
            keras_y[:, i, j, :] = patch @ keras_kernel[i * ow + j] + keras_bias[i, j]
    assert torch.allclose(keras_y.permute(0, 3, 1, 2), y, atol=1e-5), "the documented Keras mapping is wrong"

    save("locally_connected2d", {"x": x, "weight": weight, "bias": bias, "y": y, "gy": gy,
                                 "gx": xx.grad, "gweight": ww.grad, "gbias": bb.grad})


def depthwise_conv2d():
    """groups == in_channels (a depthwise convolution) on odd shapes: multipliers, stride 2, dilation."""
    g = torch.Generator().manual_seed(30)
    cases = {"a": dict(n=2, c=3, mult=2, h=9, w=8, k=(3, 3), stride=2, padding=1, dilation=1, bias=True),
             "b": dict(n=1, c=4, mult=1, h=7, w=10, k=(5, 3), stride=1, padding=(2, 1), dilation=2, bias=False),
             "c": dict(n=2, c=5, mult=1, h=6, w=6, k=(3, 3), stride=1, padding=1, dilation=1, bias=True)}
    out = {}
    for tag, a in cases.items():
        x = torch.randn(a["n"], a["c"], a["h"], a["w"], generator=g)
        w = torch.randn(a["c"] * a["mult"], 1, *a["k"], generator=g) * 0.5
        b = torch.randn(a["c"] * a["mult"], generator=g) if a["bias"] else None
        xx, ww = x.clone().requires_grad_(True), w.clone().requires_grad_(True)
        bb = b.clone().requires_grad_(True) if b is not None else None
        y = F.conv2d(xx, ww, bb, stride=a["stride"], padding=a["padding"], dilation=a["dilation"], groups=a["c"])
        gy = torch.randn(y.shape, generator=g)
        (y * gy).sum().backward()
        out.update({tag + ".x": x, tag + ".weight": w, tag + ".y": y, tag + ".gy": gy, tag + ".gx": xx.grad,
                    tag + ".gweight": ww.grad})
        if b is not None:
            out.update({tag + ".bias": b, tag + ".gbias": bb.grad})
    save("depthwise_conv2d", out)


def separable_conv2d():
    """Keras' SeparableConv2D(4, 3, strides=2, padding="same", depth_multiplier=2): TensorFlow's "same"
    pads 7 rows to (1, 1) and 8 columns to (0, 1); depthwise without bias, pointwise with."""
    g = torch.Generator().manual_seed(31)
    x = torch.randn(2, 3, 7, 8, generator=g)
    dw = torch.randn(6, 1, 3, 3, generator=g) * 0.5
    pw = torch.randn(4, 6, 1, 1, generator=g) * 0.5
    pb = torch.randn(4, generator=g)
    xx, dd, pp, bb = (t.clone().requires_grad_(True) for t in (x, dw, pw, pb))
    y = F.conv2d(F.conv2d(F.pad(xx, (0, 1, 1, 1)), dd, None, stride=2, groups=3), pp, bb)
    gy = torch.randn(y.shape, generator=g)
    (y * gy).sum().backward()
    save("separable_conv2d", {"x": x, "conv_dw.weight": dw, "conv_pw.weight": pw, "conv_pw.bias": pb, "y": y,
                              "gy": gy, "gx": xx.grad, "gconv_dw.weight": dd.grad, "gconv_pw.weight": pp.grad,
                              "gconv_pw.bias": bb.grad})


def hard_activations():
    g = torch.Generator().manual_seed(32)
    x = torch.rand(2, 3, 4, 5, generator=g) * 10 - 5
    # the kinks and a NaN, where PyTorch's gradient has its own rules
    x[0, 0, 0, :5] = torch.tensor([-3.0, 3.0, 0.0, float("nan"), -0.0])
    out = {}
    for name, layer in (("hardswish", torch.nn.Hardswish()), ("hardsigmoid", torch.nn.Hardsigmoid())):
        r = forward_backward(layer, x, 33)
        out["x"] = r["x"]
        out.update({name + ".y": r["y"], name + ".gy": r["gy"], name + ".gx": r["gx"]})
    save("hard_activations", out)


def squeeze_excitation():
    from torchvision.ops import SqueezeExcitation
    torch.manual_seed(34)
    se = SqueezeExcitation(6, 3)
    g = torch.Generator().manual_seed(35)
    x = torch.randn(2, 6, 5, 4, generator=g)
    r = forward_backward(se, x, 36)
    r.update({k: v for k, v in se.state_dict().items()})
    r.update({"g" + k: p.grad for k, p in se.named_parameters()})
    save("squeeze_excitation", r)


if __name__ == "__main__":
    relu6()
    zero_pad2d()
    stochastic_depth()
    fractional_max_pool2d()
    locally_connected2d()
    depthwise_conv2d()
    separable_conv2d()
    hard_activations()
    squeeze_excitation()
