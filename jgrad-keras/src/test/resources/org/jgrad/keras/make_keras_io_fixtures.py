#!/work/venv/bin/python
"""Writes the Keras fixtures next to this script, with the real library.

Needs Keras 3 with TensorFlow (pip install tensorflow-cpu keras h5py). Written with Keras 3.15.1,
TensorFlow 2.x (CPU). Run:  /work/venv/bin/python make_keras_io_fixtures.py [--apps DIR]

Each model is saved by Keras itself, and next to it an `<name>.io.safetensors` holds a seeded input
batch (`input`, NHWC as Keras takes it) and Keras's output for it in inference mode (`output`).

sequential_cnn.keras     a small Sequential CNN (Rescaling, Conv2D with "same" padding at stride 1
                         and 2, BatchNormalization, MaxPooling2D, Dropout, Flatten, Dense, softmax)
sequential_cnn.h5        the same model saved by model.save("....h5"): Keras 2's full-model HDF5 layout
                         (root attribute model_config, weights under model_weights/<layer>/...)
sequential_cnn.weights.h5  its weights alone in Keras 2's weights-only layout (layer_names at the root)
functional.keras         a functional model with two branches: Add, Concatenate, BatchNormalization,
                         DepthwiseConv2D, ZeroPadding2D, AveragePooling2D, GlobalAveragePooling2D,
                         and activations as layers and as layer arguments
separable.keras          SeparableConv2D (strided and "same"), MaxPooling2D/AveragePooling2D with
                         "same" padding, GlobalMaxPooling2D, ELU/LeakyReLU/swish/gelu activations

app_layers.keras         the two keras-applications layers the zoo's Keras-layout models hold in another form:
                         ResNeXt's grouped 3x3 convolution as keras-applications computes it (a
                         DepthwiseConv2D `blk_2_conv` with depth multiplier c, then the constant,
                         non-trainable group sum `blk_2_gconv`), and MobileNet's classifier `conv_preds`
                         (a 1x1 Conv2D on the pooled 1x1 map, then Reshape); app_layers.weights.h5 holds
                         its weights alone in Keras 2's weights-only layout
bad/                     files a Keras reader must refuse (KerasBadInputsTest names the error each one
                         gets): an HDF5 dataset whose shape claims far more than the file holds, a
                         compressed dataset, an external link to another file, a model with layers jgrad
                         does not build (LSTM, GRU), a truncated archive

hardening/KerasFileFuzzTestInputs/read/   the fuzz target's seeds: tiny models in each format, and the
                         bad HDF5 files above

--app-layers             writes app_layers.* alone
--apps DIR [NAME...] writes Keras Applications ResNet50, MobileNetV2, DenseNet121, MobileNet and ResNeXt50 (the
last as keras-applications' resnet_common.py builds it: Keras 3 dropped it), or the applications named (any
keras.applications name, at its default input size) (weights=None, seeded, with
random batch-norm statistics, logits out: classifier_activation=None) as DIR/<name>.keras, its weights
alone as DIR/<name>.weights.h5 in Keras 2's layout (that of the files keras.applications downloads), and
DIR/<name>.io.safetensors: about 100 MB each, for the long test, never committed.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# With oneDNN, TensorFlow 2.x here died of SIGFPE computing ResNet50's and DenseNet121's outputs.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402
from safetensors.numpy import save_file  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def randomize_batchnorm(model, rng):
    """Non-trivial moving statistics and affine terms, so a mix-up of the four BN arrays shows."""
    for layer in model.layers:
        if isinstance(layer, layers.BatchNormalization):
            ws = layer.get_weights()
            new = []
            for w, var in zip(ws, layer.weights):
                n = var.name
                if "moving_variance" in n:
                    new.append(rng.uniform(0.5, 1.5, w.shape).astype("float32"))
                elif "moving_mean" in n:
                    new.append(rng.normal(0, 0.2, w.shape).astype("float32"))
                elif "gamma" in n:
                    new.append(rng.uniform(0.8, 1.2, w.shape).astype("float32"))
                else:
                    new.append(rng.normal(0, 0.1, w.shape).astype("float32"))
            layer.set_weights(new)
        elif hasattr(layer, "layers"):
            randomize_batchnorm(layer, rng)


def save_io(model, x, path):
    y = model(x, training=False)
    save_file({"input": np.ascontiguousarray(x, dtype="float32"),
               "output": np.ascontiguousarray(np.asarray(y), dtype="float32")}, path)


def sequential_cnn():
    keras.utils.set_random_seed(1)
    m = keras.Sequential([
        keras.Input((12, 10, 3)),
        layers.Rescaling(1 / 255.0, offset=-0.5),
        layers.Conv2D(6, 3, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling2D(2),
        layers.Conv2D(8, (3, 2), strides=2, padding="same"),
        layers.Activation("relu"),
        layers.Dropout(0.3),
        layers.Flatten(),
        layers.Dense(16, activation="tanh"),
        layers.Dense(5, activation="softmax"),
    ], name="sequential_cnn")
    randomize_batchnorm(m, np.random.default_rng(1))
    x = np.random.default_rng(2).uniform(0, 255, (2, 12, 10, 3)).astype("float32")
    m.save(os.path.join(HERE, "sequential_cnn.keras"))
    m.save(os.path.join(HERE, "sequential_cnn.h5"))
    import h5py
    from keras.src.legacy.saving import legacy_h5_format
    with h5py.File(os.path.join(HERE, "sequential_cnn.weights.h5"), "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, m)
    save_io(m, x, os.path.join(HERE, "sequential_cnn.io.safetensors"))


def functional():
    keras.utils.set_random_seed(2)
    inp = keras.Input((9, 9, 4), name="image")
    x = layers.Conv2D(8, 3, padding="same", use_bias=False, name="stem_conv")(inp)
    x = layers.BatchNormalization(epsilon=1e-3, name="stem_bn")(x)
    stem = layers.ReLU(name="stem_relu")(x)
    a = layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2, name="dw")(stem)
    a = layers.BatchNormalization(name="dw_bn")(a)
    a = layers.ReLU(max_value=6.0, name="dw_relu6")(a)
    b = layers.Conv2D(16, 1, activation="sigmoid", name="proj")(stem)
    s = layers.Add(name="add")([a, b])
    c = layers.Concatenate(name="concat")([s, stem])
    c = layers.ZeroPadding2D(((1, 0), (0, 1)), name="pad")(c)
    c = layers.DepthwiseConv2D(3, strides=2, use_bias=False, name="dw_s2")(c)
    c = layers.Activation("swish", name="swish")(c)
    c = layers.AveragePooling2D(2, name="avg")(c)
    g = layers.GlobalAveragePooling2D(name="gap")(c)
    g = layers.Dropout(0.2, name="drop")(g)
    out = layers.Dense(3, name="logits")(g)
    m = keras.Model(inp, out, name="functional_net")
    randomize_batchnorm(m, np.random.default_rng(3))
    x = np.random.default_rng(4).normal(0, 1, (2, 9, 9, 4)).astype("float32")
    m.save(os.path.join(HERE, "functional.keras"))
    save_io(m, x, os.path.join(HERE, "functional.io.safetensors"))


def separable():
    keras.utils.set_random_seed(3)
    inp = keras.Input((11, 11, 3))
    x = layers.SeparableConv2D(6, 3, strides=2, padding="same", depth_multiplier=2, activation="elu")(inp)
    x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
    y = layers.SeparableConv2D(6, 3, padding="same", activation="gelu")(x)
    y = layers.LeakyReLU(negative_slope=0.2)(y)
    z = layers.AveragePooling2D(2, strides=1, padding="same")(x)
    x = layers.Concatenate(axis=-1)([y, z])
    x = layers.GlobalMaxPooling2D()(x)
    out = layers.Dense(4, activation="softmax")(x)
    m = keras.Model(inp, out)
    x = np.random.default_rng(5).normal(0, 1, (3, 11, 11, 3)).astype("float32")
    m.save(os.path.join(HERE, "separable.keras"))
    save_io(m, x, os.path.join(HERE, "separable.io.safetensors"))


def bad_files():
    import h5py
    bad = os.path.join(HERE, "bad")
    os.makedirs(bad, exist_ok=True)
    # Keras 3's weights layout, with a dataset never written: HDF5 allocates its storage late, so the
    # file stays small while the header claims 1 GiB.
    with h5py.File(os.path.join(bad, "huge_claim.weights.h5"), "w") as f:
        f.create_dataset("layers/dense/vars/0", shape=(1 << 15, 1 << 13), dtype="f4")
    with h5py.File(os.path.join(bad, "compressed.weights.h5"), "w") as f:
        f.create_dataset("layers/dense/vars/0", data=np.ones((64, 8), "f4"), compression="gzip")
    with h5py.File(os.path.join(bad, "external_link.weights.h5"), "w") as f:
        f.create_group("layers")
        f["layers/dense"] = h5py.ExternalLink("/etc/passwd", "/layers")
    keras.utils.set_random_seed(4)
    m = keras.Sequential([keras.Input((5, 3)), layers.LSTM(4, return_sequences=True), layers.GRU(2),
                          layers.Dense(1)])
    m.save(os.path.join(bad, "recurrent.keras"))
    with open(os.path.join(HERE, "sequential_cnn.keras"), "rb") as f:
        whole = f.read()
    with open(os.path.join(bad, "truncated.keras"), "wb") as f:
        f.write(whole[: len(whole) // 2])


def fuzz_seeds():
    import shutil
    import h5py
    from keras.src.legacy.saving import legacy_h5_format
    seeds = os.path.join(HERE, "hardening", "KerasFileFuzzTestInputs", "read")
    os.makedirs(seeds, exist_ok=True)
    keras.utils.set_random_seed(5)
    dense = keras.Sequential([keras.Input((3,)), layers.Dense(2, activation="relu")])
    dense.save(os.path.join(seeds, "tiny_dense.keras"))
    dense.save(os.path.join(seeds, "tiny_dense.h5"))
    with h5py.File(os.path.join(seeds, "tiny_dense_weights.h5"), "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, dense)
    inp = keras.Input((4, 4, 1))
    x = layers.Conv2D(2, 3, padding="same")(inp)
    x = layers.BatchNormalization()(x)
    y = layers.DepthwiseConv2D(3, padding="same")(x)
    x = layers.Concatenate()([layers.Add()([x, y]), x])
    x = layers.Flatten()(layers.MaxPooling2D()(x))
    cnn = keras.Model(inp, layers.Dense(2)(x))
    cnn.save(os.path.join(seeds, "tiny_functional.keras"))
    for name in ("huge_claim.weights.h5", "compressed.weights.h5", "external_link.weights.h5"):
        shutil.copy(os.path.join(HERE, "bad", name), os.path.join(seeds, name.replace(".", "_")))


def group_sum_kernel(filters, c):
    """keras-applications' constant 1x1 kernel that adds up each group's depthwise products."""
    kernel = np.zeros((1, 1, filters * c, filters), dtype=np.float32)
    for i in range(filters):
        start = (i // c) * c * c + i % c
        kernel[:, :, start:start + c * c:c, i] = 1.0
    return kernel


def grouped_conv(x, filters, groups, stride, name):
    """ResNeXt's grouped 3x3 convolution as keras-applications' block3 computes it. The constant is set
    after building (Keras 3 cannot serialize an array-valued Constant initializer)."""
    c = filters // groups
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=name + "_2_pad")(x)
    x = layers.DepthwiseConv2D(3, strides=stride, depth_multiplier=c, use_bias=False, name=name + "_2_conv")(x)
    gconv = layers.Conv2D(filters, 1, use_bias=False, trainable=False, name=name + "_2_gconv")
    return gconv(x), (gconv, group_sum_kernel(filters, c))


def app_layers():
    keras.utils.set_random_seed(5)
    inp = keras.Input((6, 6, 8))
    x, (gconv, kernel) = grouped_conv(inp, 8, 4, 1, "blk")
    x = layers.GlobalAveragePooling2D(keepdims=True)(x)
    x = layers.Conv2D(5, 1, padding="same", name="conv_preds")(x)
    x = layers.Reshape((5,))(x)
    m = keras.Model(inp, x)
    gconv.set_weights([kernel])
    m.save(os.path.join(HERE, "app_layers.keras"))
    import h5py
    from keras.src.legacy.saving import legacy_h5_format
    with h5py.File(os.path.join(HERE, "app_layers.weights.h5"), "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, m)
    x = np.random.default_rng(6).normal(0, 1, (2, 6, 6, 8)).astype("float32")
    save_io(m, x, os.path.join(HERE, "app_layers.io.safetensors"))


def resnext50(weights=None, classifier_activation=None):
    """keras-applications' ResNeXt50 (resnet_common.py: stack3/block3, no biases, head 'probs')."""
    assert weights is None

    def bn(x, name):
        return layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name)(x)

    def block3(x, filters, stride=1, groups=32, conv_shortcut=True, name=None):
        if conv_shortcut:
            shortcut = layers.Conv2D((64 // groups) * filters, 1, strides=stride, use_bias=False, name=name + "_0_conv")(x)
            shortcut = bn(shortcut, name + "_0_bn")
        else:
            shortcut = x
        x = layers.Conv2D(filters, 1, use_bias=False, name=name + "_1_conv")(x)
        x = layers.Activation("relu", name=name + "_1_relu")(bn(x, name + "_1_bn"))
        x, constant = grouped_conv(x, filters, groups, stride, name)
        constants.append(constant)
        x = layers.Activation("relu", name=name + "_2_relu")(bn(x, name + "_2_bn"))
        x = layers.Conv2D((64 // groups) * filters, 1, use_bias=False, name=name + "_3_conv")(x)
        x = bn(x, name + "_3_bn")
        x = layers.Add(name=name + "_add")([shortcut, x])
        return layers.Activation("relu", name=name + "_out")(x)

    constants = []
    inp = keras.Input((224, 224, 3))
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(inp)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = layers.Activation("relu", name="conv1_relu")(bn(x, "conv1_bn"))
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    for stack, (filters, blocks, stride) in enumerate(((128, 3, 1), (256, 4, 2), (512, 6, 2), (1024, 3, 2))):
        for b in range(1, blocks + 1):
            x = block3(x, filters, stride=stride if b == 1 else 1, conv_shortcut=b == 1,
                       name="conv%d_block%d" % (stack + 2, b))
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    x = layers.Dense(1000, activation=classifier_activation, name="probs")(x)
    m = keras.Model(inp, x, name="resnext50")
    for layer, kernel in constants:
        layer.set_weights([kernel])
    return m


def applications(out_dir, only=None):
    os.makedirs(out_dir, exist_ok=True)
    makers = {
        "ResNet50": keras.applications.ResNet50,
        "MobileNetV2": keras.applications.MobileNetV2,
        "DenseNet121": keras.applications.DenseNet121,
        "MobileNet": keras.applications.MobileNet,
        "ResNeXt50": resnext50,
    }
    # Any other application by its keras.applications name (e.g. Xception, InceptionV3, NASNetMobile).
    for name in only or []:
        if name not in makers:
            makers[name] = getattr(keras.applications, name)
    for i, (name, make) in enumerate(makers.items()):
        if only and name not in only:
            continue
        keras.utils.set_random_seed(10 + i)
        m = make(weights=None, classifier_activation=None)
        randomize_batchnorm(m, np.random.default_rng(20 + i))
        size = m.input_shape[1]
        x = np.random.default_rng(30 + i).normal(0, 1, (2, size, size, 3)).astype("float32")
        m.save(os.path.join(out_dir, name + ".keras"))
        # The layout of the weight files keras.applications downloads (Keras 2's weights-only HDF5).
        import h5py
        from keras.src.legacy.saving import legacy_h5_format
        with h5py.File(os.path.join(out_dir, name + ".weights.h5"), "w") as f:
            legacy_h5_format.save_weights_to_hdf5_group(f, m)
        save_io(m, x, os.path.join(out_dir, name + ".io.safetensors"))
        print(out_dir, name, "written")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--apps":
        applications(sys.argv[2], sys.argv[3:])
    elif sys.argv[1:] == ["--app-layers"]:
        app_layers()
    else:
        sequential_cnn()
        functional()
        separable()
        app_layers()
        bad_files()
        fuzz_seeds()
        print("keras", keras.__version__, "fixtures written to", HERE)
