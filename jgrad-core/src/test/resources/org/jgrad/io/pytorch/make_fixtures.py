#!/usr/bin/python3
"""Writes the PyTorch checkpoint fixtures next to this script, with the real library.

Needs PyTorch (Debian: apt-get install python3-torch). Run: /usr/bin/python3 make_fixtures.py
Written with torch 1.13.1 (Debian bookworm); every file is a few KB.

good/      files torch.save wrote, read by PyTorchCheckpointTest and compared with expected.json
           (float tensors as float32 bit patterns, so NaN, -0.0 and infinities compare exactly)
bad/       files a state-dict loader must refuse: code-running pickles, whole-model pickles,
           truncations, size lies; PyTorchMaliciousTest names the error each one gets
"""
import collections
import copy
import json
import os
import struct
import zipfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
GOOD = os.path.join(HERE, "good")
BAD = os.path.join(HERE, "bad")


def tiny_cnn():
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(8, 3))
    # Non-trivial batch-norm statistics: a few training steps' worth.
    net.train()
    with torch.no_grad():
        for _ in range(3):
            net(torch.randn(4, 1, 4, 4))
    net.eval()
    return net


def dtype_zoo():
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 4 - 1
    sd = collections.OrderedDict()
    sd["f32"] = torch.tensor([1.0, -0.0, float("inf"), float("nan"), 1e-45, 3.5])
    sd["f64"] = torch.tensor([1.5, -0.1, 1e300], dtype=torch.float64)
    sd["f16"] = torch.tensor([1.0, -2.0, 65504.0, 2 ** -24, 0.1], dtype=torch.float16)
    sd["bf16"] = torch.tensor([1.0, -3.140625, 1e38, 0.1], dtype=torch.bfloat16)
    sd["i64"] = torch.tensor([-(2 ** 63), 2 ** 63 - 1, 0, 42], dtype=torch.int64)
    sd["i32"] = torch.tensor([-(2 ** 31), 7], dtype=torch.int32)
    sd["i16"] = torch.tensor([-32768, 5], dtype=torch.int16)
    sd["i8"] = torch.tensor([-128, 127], dtype=torch.int8)
    sd["u8"] = torch.tensor([255, 0], dtype=torch.uint8)
    sd["bool"] = torch.tensor([True, False, True])
    sd["scalar"] = torch.tensor(2.5)
    sd["empty"] = torch.zeros(2, 0)
    sd["base"] = base
    sd["transposed"] = base.t()                      # shares base's storage, strides (1, 4)
    sd["narrowed"] = base[1:, 1:3]                   # offset 5, strides (4, 1)
    sd["stepped"] = base[:, ::2]                      # strides (4, 2)
    sd["expanded"] = torch.tensor([7.0]).expand(2, 3)  # stride 0
    sd["param"] = torch.nn.Parameter(torch.tensor([[0.5, -0.25]]))
    sd["half_t"] = torch.arange(6, dtype=torch.float16).reshape(2, 3).t()
    return sd


def expected(sd):
    out = collections.OrderedDict()
    for k, t in sd.items():
        t = t.detach()
        e = {"shape": list(t.shape)}
        if t.dtype.is_floating_point:
            e["dtype"] = "float32"
            flat = t.to(torch.float32).contiguous().reshape(-1)
            e["bits"] = [struct.unpack("<i", struct.pack("<f", v))[0] for v in flat.tolist()]
        else:
            e["dtype"] = "int64"
            e["values"] = [int(v) for v in t.to(torch.int64).reshape(-1).tolist()]
        out[k] = e
    return out


def write_good():
    os.makedirs(GOOD, exist_ok=True)
    exp = collections.OrderedDict()

    net = tiny_cnn()
    sd = net.state_dict()
    torch.save(sd, os.path.join(GOOD, "tiny_cnn.pth"))
    torch.save(sd, os.path.join(GOOD, "tiny_cnn_legacy.pth"), _use_new_zipfile_serialization=False)
    torch.save(sd, os.path.join(GOOD, "tiny_cnn_protocol4.pth"), pickle_protocol=4)
    torch.manual_seed(1)
    x = torch.randn(2, 1, 4, 4)
    with torch.no_grad():
        y = net(x)
    exp["tiny_cnn"] = expected(sd)
    exp["tiny_cnn_input"] = expected({"x": x})["x"]
    exp["tiny_cnn_output"] = expected({"y": y})["y"]

    zoo = dtype_zoo()
    torch.save(zoo, os.path.join(GOOD, "dtypes.pth"))
    torch.save(zoo, os.path.join(GOOD, "dtypes_legacy.pth"), _use_new_zipfile_serialization=False)
    exp["dtypes"] = expected(zoo)

    # An optimizer state to wrap with the weights, from a copy so that sd keeps the saved values.
    trained = copy.deepcopy(net)
    opt = torch.optim.SGD(trained.parameters(), lr=0.1, momentum=0.9)
    trained(x).sum().backward()
    opt.step()
    torch.save({"epoch": 3, "state_dict": sd, "optimizer": opt.state_dict()}, os.path.join(GOOD, "wrapped_state_dict.pth"))
    torch.save({"model": sd, "lr": 0.1, "note": "a checkpoint"}, os.path.join(GOOD, "wrapped_model.pth"))
    torch.save({"epoch": 1, "model_state_dict": sd}, os.path.join(GOOD, "wrapped_model_state_dict.pth"))

    with open(os.path.join(GOOD, "expected.json"), "w") as f:
        json.dump(exp, f, indent=None, separators=(",", ":"), allow_nan=False)
        f.write("\n")


# ---------------------------------------------------------------------- hand-made archives

# Malicious and lying pickles are written opcode by opcode: nothing they name is imported here.

def raw_global(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def archive(path, pkl, storages=(), compress=False, name="archive", byteorder=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as z:
        z.writestr(name + "/data.pkl", pkl)
        if byteorder:
            z.writestr(name + "/byteorder", byteorder)
        for key, data in storages:
            z.writestr(name + "/data/" + key, data)
        z.writestr(name + "/version", "3\n")


def bstr(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def bint(v):
    return b"J" + struct.pack("<i", v)


def tensor_v2(storage_pid, offset, size, stride):
    """Opcodes for _rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict())."""
    tup = lambda xs: b"(" + b"".join(bint(x) if isinstance(x, int) and x < 2 ** 31 else long1(x) for x in xs) + b"t"
    return (raw_global("torch._utils", "_rebuild_tensor_v2") + b"(" + storage_pid + b"Q" + bint(offset)
            + tup(size) + tup(stride) + b"\x89" + raw_global("collections", "OrderedDict") + b")R" + b"tR")


def long1(v):
    n = (v.bit_length() + 8) // 8
    return b"\x8a" + bytes([n]) + v.to_bytes(n, "little", signed=True)


def pid(key, type_name, numel):
    return b"(" + bstr("storage") + raw_global("torch", type_name) + bstr(key) + bstr("cpu") + (
        bint(numel) if numel < 2 ** 31 else long1(numel)) + b"t"


def state_dict(*items):
    """A pickled OrderedDict of (key bytes-of-opcodes) items."""
    body = b"".join(bstr(k) + v for k, v in items)
    return b"\x80\x02" + raw_global("collections", "OrderedDict") + b")R(" + body + b"u."


def call(module, name, *arg_ops):
    return raw_global(module, name) + b"(" + b"".join(arg_ops) + b"tR"


def write_bad():
    os.makedirs(BAD, exist_ok=True)
    f32 = struct.pack("<4f", 1, 2, 3, 4)
    good_t = tensor_v2(pid("0", "FloatStorage", 4), 0, (4,), (1,))

    def bad(file_name, pkl, storages=(("0", f32),), **kw):
        archive(os.path.join(BAD, file_name), pkl, storages, **kw)

    # Code execution through a pickle's REDUCE: each would run a shell command if unpickled by pickle.load.
    bad("os_system.pth", state_dict(("w", call("os", "system", bstr("touch /tmp/jgrad-pwned")))))
    bad("posix_system.pth", state_dict(("w", call("posix", "system", bstr("touch /tmp/jgrad-pwned")))))
    bad("builtins_eval.pth", b"\x80\x02" + call("builtins", "eval", bstr("__import__('os').system('touch /tmp/jgrad-pwned')")) + b".")
    bad("builtins_exec_stack_global.pth", b"\x80\x04" + bstr("builtins") + bstr("exec") + b"\x93(" + bstr("print(1)") + b"tR.")
    bad("getattr_chain.pth", b"\x80\x02" + call("builtins", "getattr", raw_global("torch", "FloatStorage"), bstr("__init__")) + b".")
    # REDUCE applied to something that is not an allowed callable: the result of another REDUCE.
    bad("nested_reduce.pth", b"\x80\x02" + raw_global("collections", "OrderedDict") + b")R)R.")
    # An allowed callable fed a global where a storage belongs.
    bad("rebuild_with_global.pth", state_dict(("w", raw_global("torch._utils", "_rebuild_tensor_v2") + b"("
                                               + raw_global("torch", "FloatStorage") + bint(0) + b"(J\x04\x00\x00\x00t(J\x01\x00\x00\x00t"
                                               + b"\x89" + raw_global("collections", "OrderedDict") + b")RtR")))
    # Instance creation with NEWOBJ and BUILD on a non-dict.
    bad("newobj.pth", b"\x80\x02" + raw_global("collections", "OrderedDict") + b")\x81.")
    bad("build_on_tensor.pth", state_dict(("w", good_t + b"}" + bstr("x") + bint(1) + b"sb")))
    # Sizes that lie.
    bad("storage_size_lie.pth", state_dict(("w", tensor_v2(pid("0", "FloatStorage", 1000), 0, (1000,), (1,)))))
    bad("huge_shape.pth", state_dict(("w", tensor_v2(pid("0", "FloatStorage", 4), 0, (2 ** 40,), (1,)))))
    bad("huge_numel.pth", state_dict(("w", tensor_v2(pid("0", "FloatStorage", 4), 0, (65536, 65536), (0, 0)))))
    bad("stride_past_storage.pth", state_dict(("w", tensor_v2(pid("0", "FloatStorage", 4), 0, (2, 2), (3, 1)))))
    bad("offset_past_storage.pth", state_dict(("w", tensor_v2(pid("0", "FloatStorage", 4), 3, (2,), (1,)))))
    bad("huge_storage_claim.pth", state_dict(("w", tensor_v2(pid("0", "FloatStorage", 2 ** 61), 0, (4,), (1,)))))
    bad("missing_storage.pth", state_dict(("w", tensor_v2(pid("7", "FloatStorage", 4), 0, (4,), (1,)))))
    bad("string_length_lie.pth", b"\x80\x02X\xff\xff\xff\x7fabc.")
    bad("unsupported_storage.pth", state_dict(("w", tensor_v2(pid("0", "ComplexFloatStorage", 2), 0, (2,), (1,)))))
    bad("compressed.pth", state_dict(("w", good_t)), compress=True)
    bad("no_data_pkl.pth", b"", name="archive/nested")
    # Truncated real files: inside the zip, and inside the legacy pickle and storages.
    good_zip = open(os.path.join(GOOD, "tiny_cnn.pth"), "rb").read()
    legacy = open(os.path.join(GOOD, "tiny_cnn_legacy.pth"), "rb").read()
    with open(os.path.join(BAD, "truncated_zip.pth"), "wb") as f:
        f.write(good_zip[: len(good_zip) // 2])
    with open(os.path.join(BAD, "truncated_legacy_pickle.pth"), "wb") as f:
        f.write(legacy[:300])
    with open(os.path.join(BAD, "truncated_legacy_storage.pth"), "wb") as f:
        f.write(legacy[:-10])
    # A whole model saved with torch.save(model): its classes would be imported and instantiated.
    torch.save(tiny_cnn(), os.path.join(BAD, "whole_model.pth"))
    # A checkpoint with no state dict in it.
    torch.save({"epoch": 3, "lr": 0.1}, os.path.join(BAD, "no_state_dict.pth"))
    # A TorchScript archive.
    torch.jit.save(torch.jit.script(torch.nn.Linear(2, 1)), os.path.join(BAD, "torchscript.pt"))
    with open(os.path.join(BAD, "not_a_checkpoint.pth"), "wb") as f:
        f.write(b"hello, world\n")
    # Valid hand-made archive in big-endian byte order (what torch.save writes on s390x).
    archive(os.path.join(GOOD, "big_endian.pth"), state_dict(("w", good_t)), (("0", struct.pack(">4f", 1, 2, 3, 4)),),
            byteorder="big")


if __name__ == "__main__":
    write_good()
    write_bad()
    for d in (GOOD, BAD):
        for n in sorted(os.listdir(d)):
            print(os.path.join(os.path.basename(d), n), os.path.getsize(os.path.join(d, n)))
