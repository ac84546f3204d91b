#!/usr/bin/python3
"""Writes the reference outputs and gradients of EmbeddingBag (EmbeddingBagTest), with real PyTorch.

Needs PyTorch (Debian: apt-get install python3-torch).
Run: /usr/bin/python3 make_embedding_bag_fixtures.py   (written with torch 1.13.0a0, Debian's python3-torch)

embedding_bag.safetensors: one key prefix per case ("sum_weighted.", ...) holding the table before the
lookup "weight", the indices "idx", the "offsets" and "per_sample_weights" when the case has them, the
output "y", a fixed upstream gradient "gy", and the gradients of sum(y * gy) with respect to the table
"dweight" and the per-sample weights "dper_sample_weights"; a max_norm case also holds the renormalized
table "weight_after". The cases' settings are in CASES below and in EmbeddingBagTest.
"""
import torch

from make_seq_fixtures import save

N, D = 10, 5

# name: (mode, 2-D input?, offsets, include_last_offset, padding_idx, per-sample weights?, max_norm)
CASES = {
    # bags [1, 2, 4], [] (empty), [2, 2] (padding only), [7, 2, 9, 0]
    "sum_weighted": ("sum", False, [0, 3, 3, 5], False, 2, True, None),
    # the CSR form: one more offset, the input's length; an empty and a padding-only bag
    "mean_last_offset": ("mean", False, [0, 4, 4, 6, 9], True, 2, False, None),
    "max_2d": ("max", True, None, False, None, False, None),
    "max_padding": ("max", False, [0, 2, 5, 5], False, 4, False, None),
    "mean_2d_max_norm": ("mean", True, None, False, None, False, 1.0),
    "sum_2d_weighted": ("sum", True, None, False, None, True, None),
}

INDICES_1D = {
    "sum_weighted": [1, 2, 4, 2, 2, 7, 2, 9, 0],
    "mean_last_offset": [1, 2, 4, 4, 2, 2, 3, 8, 2],
    "max_padding": [4, 6, 1, 3, 4, 8, 9, 0],
}


def main():
    torch.manual_seed(70)
    out = {}
    for name, (mode, two_d, offsets, last, pad, weighted, max_norm) in CASES.items():
        bag = torch.nn.EmbeddingBag(N, D, mode=mode, include_last_offset=last, padding_idx=pad, max_norm=max_norm)
        weight = bag.weight.detach().clone()
        idx = torch.randint(0, N, (3, 4)) if two_d else torch.tensor(INDICES_1D[name])
        off = None if offsets is None else torch.tensor(offsets)
        psw = torch.randn(idx.shape, requires_grad=True) if weighted else None
        y = bag(idx, off, per_sample_weights=psw)
        gy = torch.randn(y.shape)
        (y * gy).sum().backward()
        case = {"weight": weight, "idx": idx, "y": y, "gy": gy, "dweight": bag.weight.grad}
        if off is not None:
            case["offsets"] = off
        if psw is not None:
            case["per_sample_weights"] = psw
            case["dper_sample_weights"] = psw.grad
        if max_norm is not None:
            case["weight_after"] = bag.weight
        out.update({name + "." + k: v for k, v in case.items()})
    save("embedding_bag", out)


if __name__ == "__main__":
    main()
