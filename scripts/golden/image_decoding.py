#!/usr/bin/env python3
"""Golden values for SimilarityDatasets' image layer (issue 17): small JPEG and PNG files
written by Pillow, the pixels Pillow decodes from them, and tf.image resizing results.

    ~/.cache/similarity-peers/venv/bin/python scripts/golden/image_decoding.py

writes Tests/SimilarityDatasetsTests/Fixtures/images/:
  <name>.jpg / <name>.png   the files (Pillow's encoders)
  <name>_<ext>.npy          uint8 [H, W, C] as Pillow decodes the file (C = 1 for grey);
                            Pillow decodes JPEG with libjpeg-turbo (islow DCT, fancy
                            upsampling), as TurboJPEG's tjDecompress2 does by default
  cmyk.jpg                  an Adobe CMYK JPEG (must be refused)
  resize.json               {"generator", "cases": [{"name", "op", "input": {"shape",
                            "values"}, "size": [h, w], "output": {"shape", "values"}}]}
                            op: "bilinear" (tf.image.resize, antialias=False), "pad"
                            (tf.image.resize_with_pad, bilinear), "crop" (Keras Resizing with
                            crop_to_aspect_ratio=True), "grey" (tf.image.rgb_to_grayscale).
Inputs are integers 0..255 (what decoded bytes become), outputs float32 with 9 digits.
"""
import io
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import PIL
from PIL import Image
import tensorflow as tf

out = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "SimilarityDatasetsTests",
                   "Fixtures", "images")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(17)


def smooth(h, w, c):
    """A gradient plus noise: JPEG-friendly but with detail in every block."""
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([(x * 255 // max(w - 1, 1)), (y * 255 // max(h - 1, 1)),
                     ((x + y) * 127 // max(h + w - 2, 1))], axis=-1)[..., :c]
    noise = rng.integers(-20, 21, size=(h, w, c))
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def save(name, image, fmt, **options):
    path = os.path.join(out, name)
    image.save(path, fmt, **options)
    decoded = np.asarray(Image.open(path))
    if decoded.ndim == 2:
        decoded = decoded[..., None]
    np.save(os.path.join(out, name.replace(".", "_") + ".npy"),
            np.ascontiguousarray(decoded.astype(np.uint8)))


save("grey.jpg", Image.fromarray(smooth(13, 9, 1)[..., 0], "L"), "JPEG", quality=90)
save("rgb420.jpg", Image.fromarray(smooth(11, 17, 3), "RGB"), "JPEG", quality=90,
     subsampling=2)
save("rgb444.jpg", Image.fromarray(smooth(16, 8, 3), "RGB"), "JPEG", quality=95,
     subsampling=0)
save("progressive.jpg", Image.fromarray(smooth(20, 24, 3), "RGB"), "JPEG", quality=85,
     progressive=True)
save("grey.png", Image.fromarray(smooth(5, 7, 1)[..., 0], "L"), "PNG")
save("rgb.png", Image.fromarray(smooth(6, 4, 3), "RGB"), "PNG")
Image.fromarray(smooth(8, 8, 3), "RGB").convert("CMYK").save(os.path.join(out, "cmyk.jpg"),
                                                              "JPEG")

cases = []


def tensor(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "values": [float("%.9g" % v) for v in a.reshape(-1)]}


def add(name, op, x, size, y):
    cases.append({"name": name, "op": op, "input": tensor(x), "size": list(size),
                  "output": tensor(y)})


def pixels(h, w, c):
    return rng.integers(0, 256, size=(h, w, c)).astype(np.float32)


for (h, w, c), size in [((7, 5, 3), (3, 2)), ((4, 6, 1), (9, 13)), ((7, 5, 3), (4, 9)),
                        ((10, 10, 3), (3, 3)), ((3, 8, 1), (3, 5)), ((1, 1, 3), (4, 2))]:
    x = pixels(h, w, c)
    y = tf.image.resize(x, size, method="bilinear", antialias=False).numpy()
    add(f"bilinear_{h}x{w}x{c}_to_{size[0]}x{size[1]}", "bilinear", x, size, y)
for (h, w, c), size in [((6, 10, 3), (8, 8)), ((9, 4, 1), (5, 5))]:
    x = pixels(h, w, c)
    add(f"pad_{h}x{w}x{c}_to_{size[0]}x{size[1]}", "pad", x, size,
        tf.image.resize_with_pad(x, size[0], size[1], method="bilinear").numpy())
    layer = tf.keras.layers.Resizing(size[0], size[1], interpolation="bilinear",
                                     crop_to_aspect_ratio=True)
    add(f"crop_{h}x{w}x{c}_to_{size[0]}x{size[1]}", "crop", x, size, layer(x).numpy())
x = pixels(3, 4, 3)
add("grey_3x4", "grey", x, (3, 4), tf.image.rgb_to_grayscale(x).numpy())

with open(os.path.join(out, "resize.json"), "w") as f:
    json.dump({"generator": f"TensorFlow {tf.__version__}, Pillow {PIL.__version__}, "
               "scripts/golden/image_decoding.py", "cases": cases}, f, separators=(",", ":"))
print(f"wrote {len(cases)} resize cases and the image files to {os.path.normpath(out)}")
