"""Reference logits of Keras's applications for jgrad's Keras-layout zoo (org.jgrad.vision.models.keras).

Usage: make_keras_fixtures.py OUT_DIR [--full] [NAME ...]

For each model (all 20 by default, or the NAMEs given: VGG16, ResNeXt50, NASNetLarge, ...) this builds
the Keras application with weights=None and classifier_activation=None (logits), in float64 so that the
reference is exact to far below jgrad's float32 error, and fills every weight with numbers that jgrad's
test draws again itself: a weight tensor of n values gets float32(offset + scale * u_j), j < n, where u_j
in [-1, 1) comes from SplitMix64 started at the tensor's seed (see uniform() below). That way no weight
file is written: OUT_DIR/NAME.weights.txt lists each Keras weight (layer/variable path, Keras shape,
offset, scale, seed) and OUT_DIR/NAME.safetensors holds the input (NCHW, float32) and Keras's logits.
Small inputs (32x32; 71 for Xception, 75 for the Inceptions, min sizes of Keras) and 10 classes keep the
committed files small; --full uses each model's default size and 1000 classes (the long test).

ResNeXt is not in Keras 3: it is built here as keras-applications' resnet_common.py builds it (a
depthwise conv with depth multiplier c = filters/32 followed by a constant, non-trainable 1x1 conv
"_2_gconv" that sums each group), which is the grouped convolution jgrad's KerasResNeXt computes.

Made with TensorFlow 2.21 / Keras 3.15 (CPU).
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
from keras import layers
from keras.src.applications import resnet as kresnet
from safetensors.numpy import save_file

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
M1 = np.uint64(0xBF58476D1CE4E5B9)
M2 = np.uint64(0x94D049BB133111EB)


def uniform(seed, n):
    """u_j in [-1, 1): SplitMix64's j-th output (j = 1..n) from state `seed`, top 53 bits."""
    z = np.uint64(seed) + np.arange(1, n + 1, dtype=np.uint64) * GOLDEN
    z = (z ^ (z >> np.uint64(30))) * M1
    z = (z ^ (z >> np.uint64(27))) * M2
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53 * 2.0 - 1.0


def fan_in(var, shape):
    if var == "depthwise_kernel":  # (kh, kw, in, multiplier): each output sees kh*kw inputs
        return shape[0] * shape[1]
    return int(np.prod(shape[:-1]))  # conv (kh, kw, in, out), pointwise (1, 1, in, out), dense (in, out)


def offset_scale(var, shape):
    """He-uniform kernels, small biases, batch norms near (but not at) the identity."""
    if var in ("kernel", "depthwise_kernel", "pointwise_kernel"):
        return 0.0, float(np.sqrt(6.0 / fan_in(var, shape)))
    return {"bias": (0.0, 0.1), "gamma": (1.0, 0.2), "beta": (0.0, 0.1),
            "moving_mean": (0.0, 0.1), "moving_variance": (1.0, 0.5)}[var]


def gconv_kernel(filters, c):
    """keras-applications' constant that sums, per group, the depthwise outputs of one multiplier."""
    kernel = np.zeros((1, 1, filters * c, filters), dtype=np.float64)
    for i in range(filters):
        start = (i // c) * c * c + i % c
        kernel[:, :, start:start + c * c:c, i] = 1.0
    return kernel


def resnext_block(x, filters, stride=1, groups=32, conv_shortcut=True, name=None):
    if conv_shortcut:
        shortcut = layers.Conv2D((64 // groups) * filters, 1, strides=stride, use_bias=False, name=name + "_0_conv")(x)
        shortcut = layers.BatchNormalization(epsilon=1.001e-5, name=name + "_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, use_bias=False, name=name + "_1_conv")(x)
    x = layers.BatchNormalization(epsilon=1.001e-5, name=name + "_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    c = filters // groups
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=name + "_2_pad")(x)
    x = layers.DepthwiseConv2D(3, strides=stride, depth_multiplier=c, use_bias=False, name=name + "_2_conv")(x)
    x = layers.Conv2D(filters, 1, use_bias=False, trainable=False, name=name + "_2_gconv")(x)
    x = layers.BatchNormalization(epsilon=1.001e-5, name=name + "_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D((64 // groups) * filters, 1, use_bias=False, name=name + "_3_conv")(x)
    x = layers.BatchNormalization(epsilon=1.001e-5, name=name + "_3_bn")(x)
    x = layers.Add(name=name + "_add")([shortcut, x])
    return layers.Activation("relu", name=name + "_out")(x)


def resnext_stack(x, filters, blocks, stride1=2, name=None):
    x = resnext_block(x, filters, stride=stride1, name=name + "_block1")
    for i in range(2, blocks + 1):
        x = resnext_block(x, filters, conv_shortcut=False, name=name + "_block" + str(i))
    return x


def resnext(blocks, name):
    def build(input_shape, classes):
        def stack_fn(x):
            x = resnext_stack(x, 128, blocks[0], stride1=1, name="conv2")
            x = resnext_stack(x, 256, blocks[1], name="conv3")
            x = resnext_stack(x, 512, blocks[2], name="conv4")
            return resnext_stack(x, 1024, blocks[3], name="conv5")
        return kresnet.ResNet(stack_fn, False, False, name=name, weights=None, input_shape=input_shape,
                              classes=classes, classifier_activation=None)
    return build


def app(fn):
    return lambda input_shape, classes: fn(weights=None, input_shape=input_shape, classes=classes,
                                           classifier_activation=None)


A = keras.applications
# name: (builder, small side, full side)
MODELS = {
    "Xception": (app(A.Xception), 71, 299),
    "VGG16": (app(A.VGG16), 32, 224),
    "VGG19": (app(A.VGG19), 32, 224),
    "ResNet50": (app(A.ResNet50), 32, 224),
    "ResNet101": (app(A.ResNet101), 32, 224),
    "ResNet152": (app(A.ResNet152), 32, 224),
    "ResNet50V2": (app(A.ResNet50V2), 32, 224),
    "ResNet101V2": (app(A.ResNet101V2), 32, 224),
    "ResNet152V2": (app(A.ResNet152V2), 32, 224),
    "ResNeXt50": (resnext([3, 4, 6, 3], "resnext50"), 32, 224),
    "ResNeXt101": (resnext([3, 4, 23, 3], "resnext101"), 32, 224),
    "InceptionV3": (app(A.InceptionV3), 75, 299),
    "InceptionResNetV2": (app(A.InceptionResNetV2), 75, 299),
    "MobileNet": (app(A.MobileNet), 32, 224),
    "MobileNetV2": (app(A.MobileNetV2), 32, 224),
    "DenseNet121": (app(A.DenseNet121), 32, 224),
    "DenseNet169": (app(A.DenseNet169), 32, 224),
    "DenseNet201": (app(A.DenseNet201), 32, 224),
    "NASNetMobile": (app(A.NASNetMobile), 32, 224),
    "NASNetLarge": (app(A.NASNetLarge), 32, 331),
}


def make(name, out_dir, full):
    builder, small, big = MODELS[name]
    side, classes, batch = (big, 1000, 1) if full else (small, 10, 2)
    keras.backend.clear_session()  # auto-named layers (conv2d, conv2d_1, ...) count from a fresh session
    model = builder((side, side, 3), classes)
    lines = []
    for i, w in enumerate(model.weights):
        layer, var = w.path.rsplit("/", 1)
        shape = tuple(int(d) for d in w.shape)
        if layer.endswith("_2_gconv"):
            w.assign(gconv_kernel(shape[3], shape[2] // shape[3]))
            lines.append(f"{w.path}\t{','.join(map(str, shape))}\tconst\t0\t0")
            continue
        seed = (i + 1) * 0x2545F4914F6CDD1D % 2 ** 64
        off, scale = offset_scale(var, shape)
        values = (off + scale * uniform(seed, int(np.prod(shape)))).astype(np.float32).astype(np.float64)
        w.assign(values.reshape(shape))
        lines.append(f"{w.path}\t{','.join(map(str, shape))}\t{off!r}\t{scale!r}\t{seed:016x}")
    rng = np.random.default_rng(17)
    x = rng.uniform(-1.0, 1.0, size=(batch, side, side, 3)).astype(np.float32)
    y = model(x.astype(np.float64), training=False).numpy()
    with open(os.path.join(out_dir, name + ".weights.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    save_file({"input": np.ascontiguousarray(x.transpose(0, 3, 1, 2)), "logits": y.astype(np.float32)},
              os.path.join(out_dir, name + ".safetensors"),
              metadata={"model": name, "side": str(side), "classes": str(classes),
                        "total_params": str(model.count_params()),
                        "keras": keras.__version__})
    print(name, side, model.count_params(), float(np.linalg.norm(y)), flush=True)


def main(argv):
    out_dir = argv[0]
    full = "--full" in argv
    names = [a for a in argv[1:] if a != "--full"] or list(MODELS)
    keras.config.set_floatx("float64")
    for n in names:
        make(n, out_dir, full)


if __name__ == "__main__":
    main(sys.argv[1:])
