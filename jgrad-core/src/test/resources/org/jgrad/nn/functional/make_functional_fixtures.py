"""Writes functional-fixtures.txt: inputs, outputs and input gradients of torch.nn.functional calls
that FunctionalTest repeats with jgrad's F (same arguments, listed per case in both files).

Run with PyTorch installed (Debian's python3-torch was used: torch 1.13):
    python3 make_functional_fixtures.py > functional-fixtures.txt
Every float is printed with repr() of its float32 value, so Java's Float.parseFloat reads it exactly.
The gradient of each case is d(sum(out * up))/d(input) for a fixed random upstream gradient `up`.
"""
import torch
import torch.nn.functional as F

torch.manual_seed(0)
out_lines = []


def emit(kind, name, t):
    t = t.detach().to(torch.float32).contiguous()
    shape = ",".join(str(d) for d in t.shape) if t.dim() > 0 else "scalar"
    out_lines.append(f"{kind} {name} {shape}")
    out_lines.append(" ".join(repr(float(v)) for v in t.flatten().tolist()))


def case(name, inputs, fn, grads=()):
    """inputs: dict of name -> tensor; fn(**inputs) -> output; grads: names whose gradient is recorded."""
    out_lines.append(f"case {name}")
    leaves = {}
    for k, v in inputs.items():
        if v.dtype == torch.int64:
            out_lines.append(f"long {k} {','.join(str(d) for d in v.shape)}")
            out_lines.append(" ".join(str(int(x)) for x in v.flatten().tolist()))
            leaves[k] = v
        else:
            emit("in", k, v)
            leaves[k] = v.clone().requires_grad_(k in grads)
    y = fn(**leaves)
    emit("out", "y", y)
    if grads:
        up = torch.randn(y.shape)
        emit("in", "up", up)
        (y * up).sum().backward()
        for k in grads:
            emit("grad", k, leaves[k].grad)
    out_lines.append("end")


r = lambda *s: torch.randn(*s)

case("conv1d", {"x": r(2, 4, 9), "w": r(6, 2, 3), "b": r(6)},
     lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=1, groups=2), ("x", "w", "b"))
case("conv2d", {"x": r(2, 4, 7, 6), "w": r(6, 2, 3, 3), "b": r(6)},
     lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1, dilation=1, groups=2), ("x", "w", "b"))
case("conv2d_dilated", {"x": r(1, 3, 8, 8), "w": r(2, 3, 3, 3)},
     lambda x, w: F.conv2d(x, w, None, stride=1, padding=2, dilation=2, groups=1), ("x", "w"))
case("max_pool1d", {"x": r(2, 3, 10)},
     lambda x: F.max_pool1d(x, 3, stride=2, padding=1, dilation=1, ceil_mode=True), ("x",))
case("avg_pool1d", {"x": r(2, 3, 10)},
     lambda x: F.avg_pool1d(x, 3, stride=2, padding=1, ceil_mode=False, count_include_pad=False), ("x",))
case("max_pool2d", {"x": r(2, 3, 7, 8)},
     lambda x: F.max_pool2d(x, 3, stride=2, padding=1, dilation=1, ceil_mode=True), ("x",))
case("avg_pool2d", {"x": r(2, 3, 7, 8)},
     lambda x: F.avg_pool2d(x, 2, stride=2, padding=1, ceil_mode=False, count_include_pad=False), ("x",))
case("adaptive_avg_pool2d", {"x": r(2, 3, 7, 5)}, lambda x: F.adaptive_avg_pool2d(x, (3, 2)), ("x",))
case("adaptive_max_pool2d", {"x": r(2, 3, 7, 5)}, lambda x: F.adaptive_max_pool2d(x, (2, 3)), ("x",))
rm, rv = r(4), torch.rand(4) + 0.5
case("batch_norm_eval", {"x": r(3, 4, 2, 2), "rm": rm, "rv": rv, "g": r(4), "b": r(4)},
     lambda x, rm, rv, g, b: F.batch_norm(x, rm, rv, g, b, training=False, momentum=0.1, eps=1e-5), ("x", "g", "b"))
case("batch_norm_train", {"x": r(3, 4, 2, 2), "g": r(4), "b": r(4)},
     lambda x, g, b: F.batch_norm(x, None, None, g, b, training=True, momentum=0.1, eps=1e-5), ("x", "g", "b"))
case("bmm", {"a": r(3, 2, 4), "b": r(3, 4, 5)}, lambda a, b: torch.bmm(a, b), ("a", "b"))
labels = torch.tensor([0, 2, 1, 2, -100])
case("cross_entropy", {"x": r(5, 3), "t": labels, "w": torch.rand(3) + 0.5},
     lambda x, t, w: F.cross_entropy(x, t, w, ignore_index=-100, reduction="mean", label_smoothing=0.1), ("x",))
case("cross_entropy_default", {"x": r(4, 3), "t": torch.tensor([2, 0, 1, 1])},
     lambda x, t: F.cross_entropy(x, t), ("x",))
case("nll_loss", {"x": F.log_softmax(r(4, 3), 1), "t": torch.tensor([1, 0, 2, 2])},
     lambda x, t: F.nll_loss(x, t, None, ignore_index=-100, reduction="sum"), ("x",))
case("mse_loss", {"x": r(3, 4), "y": r(3, 4)}, lambda x, y: F.mse_loss(x, y), ("x",))
case("l1_loss", {"x": r(3, 4), "y": r(3, 4)}, lambda x, y: F.l1_loss(x, y, reduction="sum"), ("x",))
case("smooth_l1_loss", {"x": r(3, 4), "y": r(3, 4)}, lambda x, y: F.smooth_l1_loss(x, y, reduction="mean", beta=0.5), ("x",))
case("huber_loss", {"x": 2 * r(3, 4), "y": r(3, 4)}, lambda x, y: F.huber_loss(x, y, reduction="mean", delta=1.5), ("x",))
case("binary_cross_entropy", {"p": torch.rand(3, 4) * 0.98 + 0.01, "y": torch.rand(3, 4), "w": torch.rand(3, 4)},
     lambda p, y, w: F.binary_cross_entropy(p, y, w, reduction="mean"), ("p",))
case("binary_cross_entropy_with_logits", {"x": r(3, 4), "y": torch.rand(3, 4), "pw": torch.rand(4) + 0.5},
     lambda x, y, pw: F.binary_cross_entropy_with_logits(x, y, None, reduction="mean", pos_weight=pw), ("x",))

print(f"# written by make_functional_fixtures.py with torch {torch.__version__}")
print("\n".join(out_lines))
