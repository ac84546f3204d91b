#!/usr/bin/env python3
"""The workloads of bench/pytorch_reference.py in TensorFlow/Keras, timed the same way, JSON under the same keys.

Run it with the Python that has tensorflow-cpu and keras 3 (here /work/venv/bin/python; `pip install
tensorflow-cpu keras`). Keras runs its training and inference as compiled tf.functions (what
`model.fit` and a SavedModel serving signature run), so each workload is traced once before the clock
starts, as the PyTorch script's warm-ups do for its native kernels; the first epoch of `fit`, which
includes that tracing, is reported beside the warm one (`*_first_epoch_s`), as `jgrad bench` does for
its JIT.

  sgemm      tf.linalg.matmul of n x n float32 matrices, n = 256..2048, median of 7 after 2 (GFLOP/s)
  mlp        784-500-250-125-10 ReLU MLP, one shuffled Fashion-MNIST epoch, batch 64, SGD lr 0.1 (s)
  lenet      LeNet-5 (6 and 16 5x5 filters, 2x2 max pools, 120-84-10), the same epoch (s)
  infer      images/s of the trained mlp and lenet on the 10k test images, batch 1000, median of 3
  resnet18   ResNet-18 (torchvision's layout, 10 classes) forward+backward of 32x32x32x3, median of 5 after 2 (ms)
  latency    the same ResNet-18 in inference mode on ONE 32x32x3 image, median of 50 after 10 (ms)

Images are channels-last (NHWC), Keras' layout on the CPU. Threads: --threads sets TensorFlow's
intra-op and inter-op pools (tf.config.threading) before anything runs.
"""
import argparse, gzip, json, os, statistics, time

DATA = "/usr/share/datasets/fashion-mnist"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--json")
    ap.add_argument("--only", default="sgemm,mlp,lenet,resnet18,infer,latency")
    a = ap.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf
    import keras
    from keras import layers

    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(a.threads)
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
                t0 = time.perf_counter()
                tf.linalg.matmul(A, B).numpy()  # .numpy() waits for the result
                ts.append(time.perf_counter() - t0)
            res[f"sgemm_{n}_gflops"] = 2 * n ** 3 / statistics.median(ts) / 1e9
            print(f"sgemm n={n:5d}  {res[f'sgemm_{n}_gflops']:7.1f} GFLOP/s")

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

    def mlp():
        return keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(500, activation="relu"),
                                 layers.Dense(250, activation="relu"), layers.Dense(125, activation="relu"),
                                 layers.Dense(10)])

    def lenet():
        return keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(6, 5, padding="same", activation="relu"),
                                 layers.MaxPooling2D(2), layers.Conv2D(16, 5, activation="relu"), layers.MaxPooling2D(2),
                                 layers.Flatten(), layers.Dense(120, activation="relu"),
                                 layers.Dense(84, activation="relu"), layers.Dense(10)])

    class EpochTimes(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.times = []

        def on_epoch_begin(self, epoch, logs=None):
            self.t0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.times.append(time.perf_counter() - self.t0)

    if {"mlp", "lenet", "infer"} & set(parts):
        xtr, ytr = load("train")
        xte, yte = load("t10k")
        for name, make in (("mlp", mlp), ("lenet", lenet)):
            if name not in parts and "infer" not in parts:
                continue
            keras.utils.set_random_seed(0)
            m = make()
            m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
            # Two epochs: the first traces the train step (tf.function), the second is the warm figure.
            times = EpochTimes()
            m.fit(xtr, ytr, batch_size=64, epochs=2, shuffle=True, verbose=0, callbacks=[times])
            res[f"{name}_first_epoch_s"], res[f"{name}_epoch_s"] = times.times
            res[f"{name}_acc_2epochs"] = float(m.evaluate(xte, yte, batch_size=1000, verbose=0)[1])
            print(f"{name:6s} epoch {times.times[1]:6.2f} s (first, tracing: {times.times[0]:.2f} s)"
                  f"   test acc after 2 epochs {res[f'{name}_acc_2epochs']:.4f}")
            if "infer" in parts:
                f = tf.function(lambda x: m(x, training=False))
                f(xte[:1000]).numpy()
                ts = []
                for _ in range(3):
                    t0 = time.perf_counter()
                    for i in range(0, len(xte), 1000):
                        f(xte[i:i + 1000]).numpy()
                    ts.append(time.perf_counter() - t0)
                res[f"{name}_infer_img_s"] = len(xte) / statistics.median(ts)
                print(f"{name:6s} inference {res[f'{name}_infer_img_s']:9.0f} images/s (batch 1000)")

    def resnet18(num_classes=10):
        """torchvision's resnet18 in Keras layers: 7x7/2 stem, 3x3/2 max pool, four stages of two basic blocks."""
        def conv_bn(x, filters, k, stride, relu):
            if k > 1:
                x = layers.ZeroPadding2D(k // 2)(x)  # torchvision pads symmetrically; "same" would not at stride 2
            x = layers.Conv2D(filters, k, strides=stride, use_bias=False)(x)
            x = layers.BatchNormalization(epsilon=1e-5, momentum=0.9)(x)
            return layers.ReLU()(x) if relu else x

        inp = keras.Input((32, 32, 3))
        x = conv_bn(inp, 64, 7, 2, True)
        x = layers.ZeroPadding2D(1)(x)
        x = layers.MaxPooling2D(3, strides=2)(x)
        inplanes = 64
        for planes, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
            for b in range(2):
                s = stride if b == 0 else 1
                h = conv_bn(x, planes, 3, s, True)
                h = conv_bn(h, planes, 3, 1, False)
                shortcut = conv_bn(x, planes, 1, s, False) if (s != 1 or inplanes != planes) else x
                x = layers.ReLU()(layers.Add()([h, shortcut]))
                inplanes = planes
        x = layers.GlobalAveragePooling2D()(x)
        return keras.Model(inp, layers.Dense(num_classes)(x))

    if "resnet18" in parts:
        keras.utils.set_random_seed(0)
        m = resnet18()
        x = tf.random.normal((32, 32, 32, 3))
        y = tf.random.uniform((32,), 0, 10, dtype=tf.int64)
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        @tf.function
        def step(x, y):
            with tf.GradientTape() as tape:
                loss = loss_fn(y, m(x, training=True))
            return tape.gradient(loss, m.trainable_variables)

        ts = []
        for _ in range(7):
            t0 = time.perf_counter()
            [g.numpy() for g in step(x, y)]
            ts.append(time.perf_counter() - t0)
        res["resnet18_step_ms"] = statistics.median(ts[2:]) * 1e3
        res["resnet18_first_step_ms"] = ts[0] * 1e3
        print(f"resnet18 forward+backward batch 32x32x32x3: {res['resnet18_step_ms']:.1f} ms"
              f"  (first step, tracing: {ts[0] * 1e3:.0f} ms)")

    if "latency" in parts:
        keras.utils.set_random_seed(0)
        m = resnet18()
        x = tf.random.normal((1, 32, 32, 3))
        serve = tf.function(lambda x: m(x, training=False))
        for name, call in (("resnet18_infer_b1_ms", lambda: serve(x).numpy()),
                           ("resnet18_infer_b1_eager_ms", lambda: m(x, training=False).numpy())):
            ts = []
            for _ in range(60):
                t0 = time.perf_counter()
                call()
                ts.append(time.perf_counter() - t0)
            res[name] = statistics.median(ts[10:]) * 1e3
        print(f"resnet18 inference of one 32x32x3 image: {res['resnet18_infer_b1_ms']:.2f} ms (tf.function),"
              f" {res['resnet18_infer_b1_eager_ms']:.2f} ms (eager call)")

    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
