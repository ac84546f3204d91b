#!/usr/bin/python3
"""Writes the reference outputs and gradients of the sequence layers (RecurrentLayersTest, EmbeddingTest,
AttentionLayersTest), with real PyTorch.

Needs PyTorch (Debian: apt-get install python3-torch).
Run: /usr/bin/python3 make_seq_fixtures.py   (written with torch 1.13.1)

One safetensors file per layer family, next to this script, a few KB each. The file format is written
by hand (8-byte little-endian header length, JSON header, raw data) so that nothing beyond torch is
needed. Each case is a key prefix ("a.", "b.", ...) holding the layer's parameters under PyTorch's
names, the inputs, the outputs, fixed upstream gradients "g<output>" and the gradients of the inputs
and parameters "d<name>" of sum(output * g<output>) over every output. lstm_state_dict.pth is a plain
torch.save of an LSTM's state dict, for the test that loads it unchanged.
"""
import json
import os
import struct

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
T, B, I, H = 5, 3, 4, 6


def save(name, tensors):
    header, blobs, offset = {}, [], 0
    for key, t in tensors.items():
        t = t.detach().contiguous()
        dtype = "I64" if t.dtype == torch.int64 else "F32"
        data = (t if dtype == "I64" else t.to(torch.float32)).numpy().tobytes()
        header[key] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(os.path.join(HERE, name + ".safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def run_case(module, inputs, outputs_fn, seed):
    """inputs: name -> tensor (made leaves here); outputs_fn(**leaves) -> dict name -> tensor."""
    leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
    outs = outputs_fn(**leaves)
    g = torch.Generator().manual_seed(seed)
    grads = {k: torch.randn(v.shape, generator=g) for k, v in outs.items()}
    sum((outs[k] * grads[k]).sum() for k in outs).backward()
    res = dict(inputs)
    res.update(outs)
    res.update({"g" + k: v for k, v in grads.items()})
    res.update({"d" + k: v.grad for k, v in leaves.items()})
    if module is not None:
        for n, p in module.named_parameters():
            res[n] = p
            res["d" + n] = p.grad
    return res


def recurrent(kind, cases, seed):
    out = {}
    for tag, (layers, bidir, batch_first, with_state, extra) in cases.items():
        torch.manual_seed(seed)
        cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
        m = cls(I, H, num_layers=layers, bidirectional=bidir, batch_first=batch_first, **extra)
        D = 2 if bidir else 1
        g = torch.Generator().manual_seed(seed + 1)
        x = torch.randn((B, T, I) if batch_first else (T, B, I), generator=g)
        inputs = {"x": x}
        if with_state:
            inputs["h0"] = torch.randn(layers * D, B, H, generator=g)
            if kind == "lstm":
                inputs["c0"] = torch.randn(layers * D, B, H, generator=g)

        def fwd(x, h0=None, c0=None):
            state = None if h0 is None else ((h0, c0) if kind == "lstm" else h0)
            y, s = m(x, state)
            res = {"y": y}
            if kind == "lstm":
                res["hn"], res["cn"] = s
            else:
                res["hn"] = s
            return res

        r = run_case(m, inputs, fwd, seed + 2)
        out.update({tag + "." + k: v for k, v in r.items()})
        seed += 10
    save(kind, out)


def packed():
    """A 2-layer bidirectional LSTM on three sequences of lengths 5, 3, 4 (unsorted), through packing."""
    torch.manual_seed(40)
    m = torch.nn.LSTM(I, H, num_layers=2, bidirectional=True)
    g = torch.Generator().manual_seed(41)
    lengths = torch.tensor([5, 3, 4])
    x = torch.randn(T, B, I, generator=g)
    for b in range(B):
        x[lengths[b]:, b] = 0  # the padding is never read; zero it so the fixture is unambiguous
    h0 = torch.randn(4, B, H, generator=g)
    c0 = torch.randn(4, B, H, generator=g)

    def fwd(x, h0, c0):
        p = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)
        y, (hn, cn) = m(p, (h0, c0))
        y, _ = torch.nn.utils.rnn.pad_packed_sequence(y, total_length=T)
        return {"y": y, "hn": hn, "cn": cn}

    r = run_case(m, {"x": x, "h0": h0, "c0": c0}, fwd, 42)
    r["lengths"] = lengths
    save("lstm_packed", r)

    gru = torch.nn.GRU(I, H, num_layers=1, bidirectional=True, batch_first=True)
    xb = x.transpose(0, 1).contiguous()

    def fwd_gru(x):
        p = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        y, hn = gru(p)
        y, _ = torch.nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=T)
        return {"y": y, "hn": hn}

    r = run_case(gru, {"x": xb}, fwd_gru, 43)
    r["lengths"] = lengths
    save("gru_packed", r)


def cells():
    out = {}
    g = torch.Generator().manual_seed(50)
    x = torch.randn(B, I, generator=g)
    h = torch.randn(B, H, generator=g)
    c = torch.randn(B, H, generator=g)
    torch.manual_seed(51)
    for tag, m in {"lstm": torch.nn.LSTMCell(I, H), "gru": torch.nn.GRUCell(I, H),
                   "rnn": torch.nn.RNNCell(I, H, nonlinearity="relu")}.items():
        if tag == "lstm":
            r = run_case(m, {"x": x, "h0": h, "c0": c}, lambda x, h0, c0: dict(zip(("h1", "c1"), m(x, (h0, c0)))), 52)
        else:
            r = run_case(m, {"x": x, "h0": h}, lambda x, h0: {"h1": m(x, h0)}, 53)
        out.update({tag + "." + k: v for k, v in r.items()})
    save("cells", out)


def embedding():
    torch.manual_seed(60)
    out = {}
    idx = torch.tensor([[1, 3, 0, 3], [7, 2, 3, 9]])
    e = torch.nn.Embedding(10, 5, padding_idx=3)
    r = run_case(e, {}, lambda: {"y": e(idx)}, 61)
    out.update({"pad." + k: v for k, v in r.items()})
    e2 = torch.nn.Embedding(10, 5, max_norm=1.5)
    out["norm.weight_before"] = e2.weight.detach().clone()
    r = run_case(e2, {}, lambda: {"y": e2(idx)}, 62)
    out.update({"norm." + k: v for k, v in r.items()})
    out["idx"] = idx
    save("embedding", out)


def state_dict():
    torch.manual_seed(70)
    m = torch.nn.LSTM(I, H, num_layers=2, bidirectional=True)
    torch.save(m.state_dict(), os.path.join(HERE, "lstm_state_dict.pth"))
    x = torch.randn(T, B, I, generator=torch.Generator().manual_seed(71))
    with torch.no_grad():
        y, (hn, cn) = m(x)
    save("lstm_state_dict", {"x": x, "y": y, "hn": hn, "cn": cn})


def layer_norm():
    torch.manual_seed(80)
    out = {}
    g = torch.Generator().manual_seed(81)
    x = torch.randn(3, 4, 6, generator=g) * 2 + 1
    for tag, (shape, affine) in {"a": ((6,), True), "b": ((4, 6), True), "c": ((6,), False)}.items():
        m = torch.nn.LayerNorm(shape, elementwise_affine=affine)
        if affine:
            with torch.no_grad():
                m.weight.copy_(torch.randn(shape, generator=g))
                m.bias.copy_(torch.randn(shape, generator=g))
        r = run_case(m, {"x": x}, lambda x: {"y": m(x)}, 82)
        out.update({tag + "." + k: v for k, v in r.items()})
    save("layer_norm", out)


def attention():
    """MultiheadAttention: self-attention with both masks, cross-attention, batch-first, per-head weights."""
    E, heads, L, S, N = 8, 2, 5, 4, 3
    out = {}
    g = torch.Generator().manual_seed(90)
    causal = torch.nn.Transformer.generate_square_subsequent_mask(L)
    pad = torch.tensor([[False] * L, [False] * (L - 2) + [True] * 2, [False] * (L - 1) + [True]])
    out["causal"] = causal
    out["pad"] = pad.float()
    cases = {
        "self": dict(batch_first=False, cross=False, masks=False, average=True),
        "masked": dict(batch_first=True, cross=False, masks=True, average=True),
        "cross": dict(batch_first=False, cross=True, masks=False, average=False),
    }
    for tag, c in cases.items():
        torch.manual_seed(91)
        m = torch.nn.MultiheadAttention(E, heads, batch_first=c["batch_first"])
        with torch.no_grad():  # non-zero biases, so that their gradients are checked too
            m.in_proj_bias.copy_(torch.randn(3 * E, generator=g) * 0.1)
            m.out_proj.bias.copy_(torch.randn(E, generator=g) * 0.1)
        shape = (lambda n: (N, n, E)) if c["batch_first"] else (lambda n: (n, N, E))
        q = torch.randn(shape(L), generator=g)
        if c["cross"]:
            inputs = {"q": q, "k": torch.randn(shape(S), generator=g), "v": torch.randn(shape(S), generator=g)}

            def fwd(q, k, v):
                y, w = m(q, k, v, average_attn_weights=c["average"])
                return {"y": y, "w": w}
        else:
            inputs = {"q": q}

            def fwd(q):
                kw = dict(key_padding_mask=pad, attn_mask=causal) if c["masks"] else {}
                y, w = m(q, q, q, average_attn_weights=c["average"], **kw)
                return {"y": y, "w": w}
        r = run_case(m, inputs, fwd, 92)
        out.update({tag + "." + k: v for k, v in r.items()})
    save("attention", out)


def transformer():
    E, heads, ff, L, N = 8, 2, 16, 5, 3
    out = {}
    g = torch.Generator().manual_seed(100)
    pad = torch.tensor([[False] * L, [False] * (L - 2) + [True] * 2, [False] * L])
    out["pad"] = pad.float()
    out["causal"] = torch.nn.Transformer.generate_square_subsequent_mask(L)
    for tag, (norm_first, act, batch_first, layers, final_norm) in {
            "post": (False, "relu", False, 1, False), "pre": (True, "gelu", True, 1, False),
            "stack": (False, "relu", True, 2, True)}.items():
        torch.manual_seed(101)
        layer = torch.nn.TransformerEncoderLayer(E, heads, ff, dropout=0.0, activation=act, batch_first=batch_first,
                                                 norm_first=norm_first)
        if layers == 1:
            m = layer
        else:
            m = torch.nn.TransformerEncoder(layer, layers, norm=torch.nn.LayerNorm(E),
                                            enable_nested_tensor=False)
            with torch.no_grad():  # make the copies differ, so that each layer's parameters are checked
                for p in m.parameters():
                    p.add_(torch.randn(p.shape, generator=g) * 0.05)
        m.train()
        x = torch.randn((N, L, E) if batch_first else (L, N, E), generator=g)

        def fwd(x):
            if tag == "post":
                return {"y": m(x)}
            return {"y": m(x, src_key_padding_mask=pad) if tag == "pre" else m(x, mask=out["causal"],
                                                                                 src_key_padding_mask=pad)}
        r = run_case(m, {"x": x}, fwd, 102)
        out.update({tag + "." + k: v for k, v in r.items()})
    save("transformer", out)

    # the tutorial's sinusoidal table, for d = 8 and 6 positions
    d, n = 8, 6
    position = torch.arange(n).unsqueeze(1)
    div_term = torch.exp(torch.arange(0, d, 2) * (-torch.log(torch.tensor(10000.0)) / d))
    pe = torch.zeros(n, d)
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    save("positional_encoding", {"pe": pe})


if __name__ == "__main__":
    # tag: (num_layers, bidirectional, batch_first, initial state given, extra arguments)
    recurrent("lstm", {"a": (1, False, False, False, {}), "b": (2, True, True, True, {}),
                       "c": (2, False, False, True, {}), "d": (1, True, True, False, {"bias": False})}, 10)
    recurrent("gru", {"a": (1, False, False, False, {}), "b": (2, True, True, True, {}),
                      "c": (2, False, True, True, {}), "d": (1, True, False, False, {})}, 20)
    recurrent("rnn", {"a": (1, False, False, False, {}), "b": (2, True, True, True, {}),
                      "c": (2, False, False, True, {"nonlinearity": "relu"}),
                      "d": (1, True, False, True, {"nonlinearity": "relu"})}, 30)
    packed()
    cells()
    embedding()
    state_dict()
    layer_norm()
    attention()
    transformer()
