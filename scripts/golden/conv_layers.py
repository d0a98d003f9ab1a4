#!/usr/bin/env python3
"""Golden values for the convolution layers of issue #15 (Conv1D, Conv3D, Conv2DTranspose,
Conv3DTranspose, DepthwiseConv2D, SeparableConv2D, groups on Conv1D/Conv2D), from tf-keras.

Run with the peer venv:
    ~/.cache/similarity-peers/venv/bin/python scripts/golden/conv_layers.py
It writes Tests/SimilarityLayersTests/Fixtures/conv_layers.json: per case, the layer's
configuration in swift-similarity's architecture format ({"type", "config"}), the input, every
weight under its Keras name, and the layer's output computed by TensorFlow. Shapes are tiny;
the cases cover strides, valid/same padding with an odd extra row, dilation, groups,
output_padding and depth_multiplier.

TensorFlow runs grouped convolutions only on GPUs, so for `groups` > 1 the reference is
TensorFlow's convolution of each group's channels with its filters, concatenated (what Keras
computes on a GPU).
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import tf_keras as keras

rng = np.random.default_rng(15)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "SimilarityLayersTests",
                   "Fixtures", "conv_layers.json")


def rounded(a):
    return [float(f"{v:.7g}") for v in np.asarray(a, np.float32).ravel()]


def keras_layer(kind, kw):
    return getattr(keras.layers, kind)(**kw)


def ours(kind, name, kw):
    """The layer's configuration in swift-similarity's architecture format."""
    rank = {"Conv1D": 1, "Conv3D": 3, "Conv3DTranspose": 3}.get(kind, 2)

    def tup(v, default):
        v = kw.get(v, default)
        return list(v) if isinstance(v, (list, tuple)) else [v] * rank

    c = {"name": name, "padding": kw.get("padding", "valid"),
         "kernelSize": tup("kernel_size", 1), "strides": tup("strides", 1),
         "activation": kw.get("activation", "linear"), "useBias": kw.get("use_bias", True)}
    if kind != "Conv3DTranspose":
        c["dilationRate"] = tup("dilation_rate", 1)
    if kind != "DepthwiseConv2D":
        c["filters"] = kw["filters"]
    if kind in ("DepthwiseConv2D", "SeparableConv2D"):
        c["depthMultiplier"] = kw.get("depth_multiplier", 1)
        c["depthwiseInitializer"] = "glorot_uniform"
        if kind == "SeparableConv2D":
            c["pointwiseInitializer"] = "glorot_uniform"
    else:
        c["kernelInitializer"] = "glorot_uniform"
    c["biasInitializer"] = "zeros"
    if kind in ("Conv1D", "Conv2D") and (kind == "Conv1D" or kw.get("groups", 1) != 1):
        c["groups"] = kw.get("groups", 1)
    if kind in ("Conv2DTranspose", "Conv3DTranspose"):
        op = kw.get("output_padding")
        if op is not None:
            c["outputPadding"] = list(op)
    return {"type": kind, "config": c}


def grouped(kind, kw, x, weights):
    """Keras' grouped convolution computed per group with TensorFlow ops."""
    kernel = weights[0]
    groups = kw["groups"]
    cin = x.shape[-1] // groups
    cout = kernel.shape[-1] // groups
    strides = kw.get("strides", 1)
    dilation = kw.get("dilation_rate", 1)
    padding = kw.get("padding", "valid").upper()
    parts = []
    for g in range(groups):
        xg = x[..., g * cin:(g + 1) * cin]
        wg = kernel[..., g * cout:(g + 1) * cout]
        if kind == "Conv1D":
            parts.append(tf.nn.conv1d(xg, wg, stride=strides, padding=padding, dilations=dilation))
        else:
            parts.append(tf.nn.conv2d(xg, wg, strides=strides, padding=padding, dilations=dilation))
    y = tf.concat(parts, axis=-1)
    if kw.get("use_bias", True):
        y = y + weights[1]
    return keras.activations.get(kw.get("activation", "linear"))(y).numpy()


CASES = [
    ("conv1d_same_stride2", "Conv1D", (2, 7, 3), dict(filters=4, kernel_size=3, strides=2, padding="same")),
    ("conv1d_valid_dilated", "Conv1D", (2, 9, 2), dict(filters=3, kernel_size=3, dilation_rate=2, activation="tanh")),
    ("conv1d_groups", "Conv1D", (2, 8, 4), dict(filters=6, kernel_size=2, strides=1, padding="same", groups=2)),
    ("conv2d_groups", "Conv2D", (1, 5, 6, 4), dict(filters=6, kernel_size=(3, 2), strides=2, padding="same", groups=2)),
    ("conv3d_same_strided", "Conv3D", (2, 4, 5, 6, 2), dict(filters=3, kernel_size=(2, 3, 3), strides=(1, 2, 2), padding="same")),
    ("conv3d_valid_dilated", "Conv3D", (1, 5, 4, 4, 2), dict(filters=2, kernel_size=(2, 2, 2), dilation_rate=(2, 1, 1))),
    ("conv2dt_same_stride2", "Conv2DTranspose", (2, 3, 4, 3), dict(filters=2, kernel_size=3, strides=2, padding="same")),
    ("conv2dt_same_outpad", "Conv2DTranspose", (1, 3, 3, 2), dict(filters=3, kernel_size=4, strides=2, padding="same", output_padding=(1, 1))),
    ("conv2dt_valid_outpad", "Conv2DTranspose", (1, 3, 4, 2), dict(filters=2, kernel_size=3, strides=(2, 3), padding="valid", output_padding=(1, 0))),
    ("conv2dt_valid_dilated", "Conv2DTranspose", (1, 4, 4, 2), dict(filters=2, kernel_size=2, dilation_rate=2, activation="relu")),
    ("conv3dt_same_strided", "Conv3DTranspose", (1, 2, 3, 3, 2), dict(filters=2, kernel_size=(2, 3, 3), strides=(2, 2, 1), padding="same")),
    ("conv3dt_valid_outpad", "Conv3DTranspose", (1, 2, 2, 3, 2), dict(filters=3, kernel_size=(3, 2, 2), strides=(2, 2, 2), output_padding=(1, 1, 0))),
    ("depthwise_same_stride2_mult2", "DepthwiseConv2D", (2, 5, 6, 3), dict(kernel_size=3, strides=2, padding="same", depth_multiplier=2)),
    ("depthwise_valid_dilated", "DepthwiseConv2D", (1, 7, 7, 4), dict(kernel_size=3, dilation_rate=2, activation="relu")),
    ("depthwise_same_17ch", "DepthwiseConv2D", (1, 6, 11, 17), dict(kernel_size=3, padding="same")),
    ("depthwise_even_kernel", "DepthwiseConv2D", (1, 5, 5, 2), dict(kernel_size=(2, 4), padding="same", depth_multiplier=3, use_bias=False)),
    ("separable_same_mult2", "SeparableConv2D", (2, 6, 5, 3), dict(filters=5, kernel_size=3, padding="same", depth_multiplier=2)),
    ("separable_valid_stride2", "SeparableConv2D", (1, 7, 8, 4), dict(filters=3, kernel_size=(3, 2), strides=2, activation="relu")),
]


def main():
    cases = []
    for name, kind, shape, kw in CASES:
        x = rng.uniform(-1, 1, shape).astype(np.float32)
        groups = kw.get("groups", 1)
        layer_kw = dict(kw)
        if groups != 1:
            layer_kw["groups"] = 1  # build the weights on CPU; the groups are applied below
            layer_kw["filters"] = kw["filters"]
        layer = keras_layer(kind, layer_kw)
        layer_input = x if groups == 1 else x[..., : shape[-1] // groups]
        layer.build(layer_input.shape)
        weights = []
        for w in layer.get_weights():
            weights.append((0.5 * rng.standard_normal(w.shape)).astype(np.float32))
        layer.set_weights(weights)
        if groups == 1:
            y = layer(x).numpy()
        else:
            y = grouped(kind, kw, x, weights)
        names = [w.name.split("/")[-1].split(":")[0] for w in layer.weights]
        cases.append({
            "name": name,
            "layer": ours(kind, name, kw),
            "inputShape": list(shape),
            "input": rounded(x),
            "weights": [{"name": n, "shape": list(w.shape), "values": rounded(w)}
                        for n, w in zip(names, weights)],
            "outputShape": list(y.shape),
            "output": rounded(y),
        })
        print(f"{name:32} {kind:16} in {shape} -> out {y.shape} weights {names}")
    document = {"generator": "scripts/golden/conv_layers.py",
                "tensorflow": tf.__version__, "tf_keras": keras.__version__, "cases": cases}
    with open(OUT, "w") as f:
        json.dump(document, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
