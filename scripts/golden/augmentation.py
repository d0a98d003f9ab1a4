#!/usr/bin/env python3
"""Golden values for the image augmentations (issue 17): each deterministic transform with
fixed parameters, computed by TensorFlow's own ops on one small RGB image, and the transform
matrices Keras 3's RandomRotation / RandomZoom / RandomTranslation build for given draws.

    ~/.cache/similarity-peers/venv/bin/python scripts/golden/augmentation.py

writes Tests/SimilarityDatasetsTests/Fixtures/augmentation.json:
  {"generator", "input": {"shape": [6, 7, 3], "values"},
   "matrices": [{"kind": "rotation"|"zoom"|"translation", "height", "width", "angle"
                 (radians) | "zoom_x", "zoom_y" | "dx", "dy", "transform" (8 values)}],
   "cases": [{"op", parameters…, "output"}]}
ops: "flip" (tf.image.flip_left_right / flip_up_down), "projective"
(tf.raw_ops.ImageProjectiveTransformV3 with "transform", "fill_mode", "interpolation",
"fill_value"), "contrast" (tf.image.adjust_contrast), "brightness"
(tf.image.adjust_brightness), "saturation" (tf.image.adjust_saturation), "hue"
(tf.image.adjust_hue), "grayscale" (rgb_to_grayscale then grayscale_to_rgb), "solarize"
(tf.where(x < threshold, x, upper + lower - x), Keras' Solarization formula).
Values in [0, 1], float32 written with 9 significant digits.
"""
import json
import math
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import keras
from keras import layers

out = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "SimilarityDatasetsTests",
                   "Fixtures", "augmentation.json")
rng = np.random.default_rng(2017)
H, W, C = 6, 7, 3
image = rng.uniform(0, 1, size=(H, W, C)).astype(np.float32)
image[0, 0] = [0.5, 0.5, 0.5]        # grey: hue and saturation undefined
image[0, 1] = [0.8, 0.8, 0.2]        # two channels equal
image[0, 2] = [0.0, 0.0, 0.0]        # black
image[1, 0] = [0.3, 0.9, 0.9]


def flat(a):
    return [float(f"{float(v):.9g}") for v in np.asarray(a, dtype=np.float32).reshape(-1)]


matrices = []
cases = []

rotation = layers.RandomRotation(0.1)
for angle in [0.4, -2.5]:
    m = rotation._compute_affine_matrix(
        center_x=0.5, center_y=0.5, angle=np.array([math.degrees(angle)], dtype=np.float32),
        translate_x=np.zeros(1), translate_y=np.zeros(1), scale=np.ones(1),
        shear_x=np.zeros(1), shear_y=np.zeros(1), height=H, width=W)
    matrices.append({"kind": "rotation", "height": H, "width": W, "angle": angle,
                     "transform": flat(m)})
zoom = layers.RandomZoom(0.2)
for zx, zy in [(1.3, 0.8), (2.5, 2.5)]:
    m = zoom._get_zoom_matrix(np.array([[zx, zy]], dtype=np.float32), H, W)
    matrices.append({"kind": "zoom", "height": H, "width": W, "zoom_x": zx, "zoom_y": zy,
                     "transform": flat(m)})
translation = layers.RandomTranslation(0.1, 0.1)
for dx, dy in [(1.6, -2.3), (-9.5, 13.25)]:
    m = translation._get_translation_matrix(np.array([[dx, dy]], dtype=np.float32))
    matrices.append({"kind": "translation", "height": H, "width": W, "dx": dx, "dy": dy,
                     "transform": flat(m)})

x = tf.constant(image)
for horizontal, vertical in [(True, False), (False, True), (True, True)]:
    y = x
    if horizontal:
        y = tf.image.flip_left_right(y)
    if vertical:
        y = tf.image.flip_up_down(y)
    cases.append({"op": "flip", "horizontal": horizontal, "vertical": vertical,
                  "output": flat(y)})

transforms = [m["transform"] for m in matrices] + [
    [0.9, 0.1, 0.5, -0.2, 1.1, 0.3, 0.02, -0.03]]
for transform in transforms:
    for fill_mode in ["reflect", "wrap", "constant", "nearest"]:
        for interpolation in ["bilinear", "nearest"]:
            fill_value = 0.25 if fill_mode == "constant" else 0.0
            y = tf.raw_ops.ImageProjectiveTransformV3(
                images=x[None], transforms=tf.constant([transform], dtype=tf.float32),
                output_shape=tf.constant([H, W], dtype=tf.int32),
                fill_value=tf.constant(fill_value, dtype=tf.float32),
                interpolation=interpolation.upper(), fill_mode=fill_mode.upper())[0]
            cases.append({"op": "projective", "transform": transform, "fill_mode": fill_mode,
                          "interpolation": interpolation, "fill_value": fill_value,
                          "output": flat(y)})

for factor in [0.6, 1.8]:
    cases.append({"op": "contrast", "factor": factor,
                  "output": flat(tf.image.adjust_contrast(x, factor))})
cases.append({"op": "brightness", "delta": 0.2,
              "output": flat(tf.image.adjust_brightness(x, 0.2))})
for factor in [0.4, 1.7, 3.0]:
    cases.append({"op": "saturation", "factor": factor,
                  "output": flat(tf.image.adjust_saturation(x, factor))})
for delta in [0.23, -0.41, 0.5]:
    cases.append({"op": "hue", "delta": delta, "output": flat(tf.image.adjust_hue(x, delta))})
cases.append({"op": "grayscale",
              "output": flat(tf.image.grayscale_to_rgb(tf.image.rgb_to_grayscale(x)))})
for threshold in [0.5, 0.9]:
    cases.append({"op": "solarize", "threshold": threshold, "lower": 0.0, "upper": 1.0,
                  "output": flat(tf.where(x < threshold, x, 1.0 + 0.0 - x))})

with open(out, "w") as f:
    json.dump({"generator": f"scripts/golden/augmentation.py (TensorFlow {tf.__version__}, "
                            f"Keras {keras.__version__})",
               "input": {"shape": [H, W, C], "values": flat(image)},
               "matrices": matrices, "cases": cases}, f, separators=(",", ":"))
print(f"wrote {len(cases)} cases, {len(matrices)} matrices to {os.path.normpath(out)}")
