"""Writes the reference values that jgrad's feature tests compare with.

Run from this folder with scikit-image and scikit-learn installed
(python3 -m venv /work/venv; /work/venv/bin/pip install scikit-image scikit-learn):

    /work/venv/bin/python make_features_refs.py

hog_refs.txt: skimage.feature.hog on small float32 images (jgrad's images are float32), one case per
block:
    case <name> <channels> <height> <width> <orientations> <cell rows> <cell cols> <block rows>
         <block cols> <block norm> <transform_sqrt 0|1>
    image <channels*height*width values, [C, H, W] order>
    hog <values> (float32, as skimage returns for float32 images)
kmeans_data.txt: 4x4 patches of scikit-learn's digits (integer pixel values 0..16), one a line.
kmeans_refs.txt: "k <k> inertia <value>" of sklearn.cluster.KMeans(n_clusters=k, random_state=0,
n_init=10) on that data, in float64.
"""
import numpy as np
import skimage
import sklearn
from skimage.feature import hog
from sklearn.cluster import KMeans
from sklearn.datasets import load_digits


def smooth_noise(rng, c, h, w):
    """A blurry random image with some structure (gradients of every orientation) in [0, 1]."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.empty((c, h, w))
    for ch in range(c):
        a, b, p = rng.uniform(0.1, 0.6, 3)
        img[ch] = 0.5 + 0.25 * np.sin(a * x + ch) * np.cos(b * y + p) + 0.15 * rng.standard_normal((h, w))
    return np.clip(img, 0, 1).astype(np.float32)


def quantised(rng, c, h, w):
    """Byte-valued pixels k/255 with flat areas and axis-aligned edges (gradients at exact 0 and 90 degrees)."""
    img = np.zeros((c, h, w))
    for ch in range(c):
        img[ch, h // 4: 3 * h // 4, w // 5: 2 * w // 3] = rng.integers(0, 256) / 255
        img[ch, :, : w // 6] = rng.integers(0, 256) / 255
        img[ch] += (rng.integers(0, 256, (h, w)) / 255) * (rng.random((h, w)) < 0.2)
    return np.clip(img, 0, 1).astype(np.float32)


def fmt(values):
    """float32 values, each as the shortest decimal that reads back to the same float32."""
    return " ".join(np.format_float_positional(v, unique=True, trim="-") for v in np.asarray(values, np.float32).ravel())


def hog_cases():
    rng = np.random.default_rng(20)
    cases = [
        # name, image, orientations, cell, block, norm, sqrt
        ("defaults_32x32", smooth_noise(rng, 1, 32, 32), 9, (8, 8), (3, 3), "L2-Hys", False),
        ("defaults_28x28", smooth_noise(rng, 1, 28, 28), 9, (8, 8), (3, 3), "L2-Hys", False),
        ("cells4_blocks2_28x28", quantised(rng, 1, 28, 28), 9, (4, 4), (2, 2), "L2-Hys", False),
        ("rgb_32x32", smooth_noise(rng, 3, 32, 32), 9, (8, 8), (3, 3), "L2-Hys", False),
        ("rgb_quantised_24x40", quantised(rng, 3, 24, 40), 9, (8, 8), (2, 2), "L2-Hys", False),
        ("odd_cells_L1_37x45", smooth_noise(rng, 1, 37, 45), 8, (6, 5), (2, 3), "L1", False),
        ("L1sqrt_7orient_30x30", smooth_noise(rng, 1, 30, 30), 7, (5, 5), (2, 2), "L1-sqrt", False),
        ("L2_sqrt_33x20", quantised(rng, 1, 33, 20), 12, (4, 4), (3, 2), "L2", True),
    ]
    out = []
    for name, img, orient, cell, block, norm, sq in cases:
        c, h, w = img.shape
        if c == 1:
            ref = hog(img[0], orientations=orient, pixels_per_cell=cell, cells_per_block=block, block_norm=norm,
                      transform_sqrt=sq)
        else:
            ref = hog(np.moveaxis(img, 0, -1), orientations=orient, pixels_per_cell=cell, cells_per_block=block,
                      block_norm=norm, transform_sqrt=sq, channel_axis=-1)
        out.append(f"case {name} {c} {h} {w} {orient} {cell[0]} {cell[1]} {block[0]} {block[1]} {norm} {int(sq)}")
        out.append("image " + fmt(img))
        out.append("hog " + fmt(ref))
        print(name, ref.shape)
    return out


def digit_patches(count):
    images = load_digits().images.astype(np.int64)  # 1797 x 8 x 8, values 0..16
    patches = []
    for img in images:
        for r in range(0, 5, 2):
            for c in range(0, 5, 2):
                patches.append(img[r:r + 4, c:c + 4].ravel())
    return np.array(patches[:count])


def main():
    header = f"# skimage {skimage.__version__}, numpy {np.__version__}; written by make_features_refs.py"
    with open("hog_refs.txt", "w") as f:
        f.write(header + "\n" + "\n".join(hog_cases()) + "\n")
    data = digit_patches(3000)
    with open("kmeans_data.txt", "w") as f:
        f.write("\n".join(" ".join(str(v) for v in row) for row in data) + "\n")
    with open("kmeans_refs.txt", "w") as f:
        f.write(f"# sklearn {sklearn.__version__}: KMeans(n_clusters=k, random_state=0, n_init=10) on kmeans_data.txt\n")
        for k in (8, 32):
            km = KMeans(n_clusters=k, random_state=0, n_init=10).fit(data.astype(np.float64))
            f.write(f"k {k} inertia {km.inertia_!r}\n")
            print("k", k, km.inertia_)


if __name__ == "__main__":
    main()
