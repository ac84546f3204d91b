#!/usr/bin/env python3
"""The Keras/TensorFlow side of jgrad's benchmark: the workloads of pytorch_reference.py in Keras 3 on
the TensorFlow backend, on this machine's CPU.

Set-up: python3 -m venv venv && venv/bin/pip install tensorflow-cpu keras numpy
        (Fashion-MNIST from Debian's dataset-fashion-mnist package, as for the PyTorch script)
Run:    venv/bin/python keras_reference.py [--threads 2] [--json out.json] [--only sgemm,mlp,lenet,resnet18,infer,latency]
Workloads (the same as jgrad bench and pytorch_reference.py; Keras layout: channels last):
  sgemm      tf.linalg.matmul, n = 256, 512, 1024, 2048; GFLOP/s = 2n^3 / median time of 7 after 2 warm-ups
  mlp        784-500-250-125-10 ReLU, cross-entropy, SGD lr 0.1, batch 64, one shuffled epoch of Fashion-MNIST
             train through model.fit: the first epoch (tracing and compiling the step) and the second, warm
             epoch are both reported; the warm one is the comparable figure, as in jgrad bench
  lenet      Conv(6,5,same)-ReLU-MaxPool2-Conv(16,5,valid)-ReLU-MaxPool2-FC400-120-ReLU-84-ReLU-10, same training
  resnet18   torchvision's ResNet-18 (num_classes=10) written in Keras (BasicBlocks, batch norm, 1x1 downsample
             shortcuts), forward+backward of a 32x32x32x3 batch in a compiled train step without the update
             (as the reference: gradients only), median of 5 after 2 warm-ups
  infer      test-set images/s at batch 1000 for the trained mlp and lenet (model.predict_on_batch)
  latency    the ResNet-18 above in inference mode on ONE 32x32x3 image, median of 50 after 10 warm-ups (ms),
             through a compiled function (the fast way to serve one image in Keras)
"""
import argparse, gzip, json, os, statistics, time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np

DATA = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path) as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(split):
    x = idx(f"{DATA}/{split}-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    y = idx(f"{DATA}/{split}-labels-idx1-ubyte.gz").astype(np.int64)
    return x[..., None], y


def mlp(keras):
    L = keras.layers
    return keras.Sequential([keras.Input((28, 28, 1)), L.Flatten(), L.Dense(500, "relu"), L.Dense(250, "relu"),
                             L.Dense(125, "relu"), L.Dense(10)])


def lenet(keras):
    L = keras.layers
    return keras.Sequential([keras.Input((28, 28, 1)), L.Conv2D(6, 5, padding="same", activation="relu"), L.MaxPool2D(2),
                             L.Conv2D(16, 5, activation="relu"), L.MaxPool2D(2), L.Flatten(), L.Dense(120, "relu"),
                             L.Dense(84, "relu"), L.Dense(10)])


def resnet18(keras, classes=10):
    """torchvision's resnet18 layout: 7x7/2 stem, 3x3/2 max pool, four stages of two BasicBlocks."""
    L = keras.layers

    def bn(x):  # PyTorch's eps and momentum
        return L.BatchNormalization(epsilon=1e-5, momentum=0.9)(x)

    def block(x, ch, stride):
        y = L.ReLU()(bn(L.Conv2D(ch, 3, stride, padding="same", use_bias=False)(x)))
        y = bn(L.Conv2D(ch, 3, 1, padding="same", use_bias=False)(y))
        if stride != 1 or x.shape[-1] != ch:
            x = bn(L.Conv2D(ch, 1, stride, use_bias=False)(x))
        return L.ReLU()(L.Add()([x, y]))

    inp = keras.Input((32, 32, 3))
    x = L.ZeroPadding2D(3)(inp)
    x = L.ReLU()(bn(L.Conv2D(64, 7, 2, use_bias=False)(x)))
    x = L.MaxPool2D(3, 2)(L.ZeroPadding2D(1)(x))
    for ch, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        x = block(block(x, ch, stride), ch, 1)
    x = L.GlobalAveragePooling2D()(x)
    return keras.Model(inp, L.Dense(classes)(x))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--json")
    ap.add_argument("--only", default="sgemm,mlp,lenet,resnet18,infer,latency")
    a = ap.parse_args()
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    import keras
    keras.utils.set_random_seed(0)
    parts = a.only.split(",")
    res = {"threads": a.threads, "tensorflow": tf.__version__, "keras": keras.__version__}
    print(f"tensorflow {tf.__version__}, keras {keras.__version__}, threads {a.threads}")
    if "sgemm" in parts:
        for n in (256, 512, 1024, 2048):
            A, B = tf.random.normal((n, n)), tf.random.normal((n, n))
            for _ in range(2):
                tf.linalg.matmul(A, B).numpy()
            ts = []
            for _ in range(7):
                t0 = time.perf_counter(); tf.linalg.matmul(A, B).numpy(); ts.append(time.perf_counter() - t0)
            res[f"sgemm_{n}_gflops"] = 2 * n ** 3 / statistics.median(ts) / 1e9
            print(f"sgemm n={n:5d}  {res[f'sgemm_{n}_gflops']:7.1f} GFLOP/s")
    if {"mlp", "lenet", "infer"} & set(parts):
        xtr, ytr = load("train"); xte, yte = load("t10k")
        for name, make in (("mlp", mlp), ("lenet", lenet)):
            if name not in parts and "infer" not in parts:
                continue
            keras.utils.set_random_seed(0)
            m = make(keras)
            m.compile(optimizer=keras.optimizers.SGD(0.1),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
            secs = []
            for _ in range(2):
                t0 = time.perf_counter()
                m.fit(xtr, ytr, batch_size=64, epochs=1, shuffle=True, verbose=0)
                secs.append(time.perf_counter() - t0)
            res[f"{name}_first_epoch_s"], res[f"{name}_epoch_s"] = secs
            res[f"{name}_acc_2epochs"] = float(m.evaluate(xte, yte, batch_size=1000, verbose=0)[1])
            print(f"{name:6s} epoch {secs[1]:6.2f} s (first {secs[0]:.2f} s)   test acc after 2 epochs "
                  f"{res[f'{name}_acc_2epochs']:.4f}")
            if "infer" in parts:
                for i in range(0, 2000, 1000):
                    m.predict_on_batch(xte[i:i + 1000])
                ts = []
                for _ in range(3):
                    t0 = time.perf_counter()
                    for i in range(0, len(xte), 1000):
                        m.predict_on_batch(xte[i:i + 1000])
                    ts.append(time.perf_counter() - t0)
                res[f"{name}_infer_img_s"] = len(xte) / statistics.median(ts)
                print(f"{name:6s} inference {res[f'{name}_infer_img_s']:9.0f} images/s (batch 1000)")
    if "resnet18" in parts or "latency" in parts:
        keras.utils.set_random_seed(0)
        m = resnet18(keras)
        if "resnet18" in parts:
            x = tf.random.normal((32, 32, 32, 3)); y = tf.random.uniform((32,), 0, 10, tf.int64)
            lossf = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

            @tf.function(jit_compile=False)
            def step(x, y):
                with tf.GradientTape() as tape:
                    loss = lossf(y, m(x, training=True))
                return tape.gradient(loss, m.trainable_variables)

            ts = []
            for i in range(7):
                t0 = time.perf_counter(); g = step(x, y); g[0].numpy(); ts.append(time.perf_counter() - t0)
            res["resnet18_step_ms"] = statistics.median(ts[2:]) * 1e3
            print(f"resnet18 forward+backward batch 32x32x32x3: {res['resnet18_step_ms']:.1f} ms")
        if "latency" in parts:
            x1 = tf.random.normal((1, 32, 32, 3))

            @tf.function
            def infer(x):
                return m(x, training=False)

            ts = []
            for i in range(60):
                t0 = time.perf_counter(); infer(x1).numpy(); ts.append(time.perf_counter() - t0)
            res["resnet18_infer_b1_ms"] = statistics.median(ts[10:]) * 1e3
            print(f"resnet18 inference of one 32x32x3 image: {res['resnet18_infer_b1_ms']:.2f} ms")
    if a.json:
        json.dump(res, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    main()
