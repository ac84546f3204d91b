# Regenerates the reference fixtures with the Hugging Face safetensors library (0.8.0, numpy 2.4).
# ReferenceFilesTest checks that jgrad reads them and that its writer reproduces
# reference-mixed.safetensors byte for byte.
import numpy as np
from safetensors.numpy import save_file

save_file({
    "f32": np.array([[1.0, -0.0, np.inf], [np.nan, 1e-45, 3.5]], dtype=np.float32),
    "f16": np.array([1.0, -2.0, 65504, 6e-8], dtype=np.float16),
    "f64": np.array([1.5, -0.1, 1e300], dtype=np.float64),
    "i64": np.array([-2**63, 2**63 - 1, 0], dtype=np.int64),
    "i32": np.array([-2**31, 7], dtype=np.int32),
    "i16": np.array([-32768, 5], dtype=np.int16),
    "i8": np.array([-128, 127], dtype=np.int8),
    "u8": np.array([255, 0], dtype=np.uint8),
    "u16": np.array([65535], dtype=np.uint16),
    "u32": np.array([4294967295], dtype=np.uint32),
    "b": np.array([True, False, True]),
    "scalar": np.array(2.5, dtype=np.float32),
    "empty": np.zeros((2, 0), dtype=np.float32),
    "ünï 😀": np.array([1, 2], dtype=np.float32),
}, "reference-all-dtypes.safetensors", metadata={"format": "np"})

save_file({
    "zeta": np.array([1, 2, 3], dtype=np.float32),
    "ünï 😀": np.array([[1, 2], [3, 4]], dtype=np.float32),
    "alpha": np.array([-2**63, 5], dtype=np.int64),
    "s": np.array(-0.0, dtype=np.float32),
    "empty": np.zeros((2, 0), dtype=np.float32),
    "q\"\\\n\u0001": np.array([1], dtype=np.int64),
}, "reference-mixed.safetensors", metadata={"k\n": "v ü \"x\""})
