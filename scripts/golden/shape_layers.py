#!/usr/bin/env python3
"""Golden values for the single-input layers of issue 15 (pooling 1D/3D, global pooling,
padding, cropping, up-sampling, reshape, permute, layer and batch normalisation, embedding,
activations), computed by tf-keras 2.21 on fixed inputs and weights.

    ~/.cache/similarity-peers/venv/bin/python scripts/golden/shape_layers.py

writes Tests/SimilarityLayersTests/Fixtures/shape_layers.json: {"generator", "cases": [...]},
each case {"name", "layer": <our architecture.json layer {"type", "config"}>, "input":
{"shape", "values"}, "weights": {our parameter name: {"shape", "values"}}, "training",
"output": {"shape", "values"}}. Inputs are rounded to 4 decimals so the JSON holds them
exactly enough; outputs are float32 printed with 8 significant digits.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import tf_keras as keras

rng = np.random.default_rng(15)
cases = []


def tensor(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "values": [float("%.8g" % v) for v in a.reshape(-1)]}


def inputs(shape, low=-2.0, high=2.0):
    return np.round(rng.uniform(low, high, size=shape), 4).astype(np.float32)


def add(name, ours, layer_or_fn, x, weights=None, training=False, keras_weights=None):
    """`ours` is our {"type", "config"}; layer_or_fn a tf-keras layer or a function of x."""
    if isinstance(layer_or_fn, keras.layers.Layer):
        layer_or_fn.build(x.shape)
        if keras_weights is not None:
            layer_or_fn.set_weights(keras_weights)
        y = layer_or_fn(tf.constant(x), training=training).numpy()
    else:
        y = layer_or_fn(tf.constant(x)).numpy()
    case = {"name": name, "layer": ours, "input": tensor(x), "output": tensor(y),
            "training": training}
    if weights:
        case["weights"] = {k: tensor(v) for k, v in weights.items()}
    cases.append(case)


def cfg(type_, **config):
    return {"type": type_, "config": config}


# ---- pooling 1D ------------------------------------------------------------------------
for kind, K in [("Max", keras.layers.MaxPooling1D), ("Average", keras.layers.AveragePooling1D)]:
    snake = kind.lower()
    for steps, pool, stride, padding in [(8, 3, 2, "same"), (7, 3, 2, "same"), (7, 2, 2, "valid"),
                                         (9, 4, 3, "valid"), (6, 2, None, "same"), (5, 3, 1, "same")]:
        s = stride or pool
        name = f"{snake}_pooling1d_{steps}_p{pool}_s{s}_{padding}"
        add(name, cfg(f"{kind}Pooling1D", name=name, poolSize=pool, strides=s, padding=padding),
            K(pool_size=pool, strides=stride, padding=padding), inputs([2, steps, 3]))

# ---- pooling 3D ------------------------------------------------------------------------
for kind, K in [("Max", keras.layers.MaxPooling3D), ("Average", keras.layers.AveragePooling3D)]:
    snake = kind.lower()
    for shape, pool, stride, padding in [([2, 4, 4, 4, 3], (2, 2, 2), None, "valid"),
                                         ([2, 5, 4, 5, 3], (2, 3, 2), (2, 2, 1), "same"),
                                         ([1, 5, 6, 7, 2], (3, 2, 3), (2, 3, 2), "valid"),
                                         ([1, 3, 5, 4, 17], (2, 2, 3), (1, 2, 2), "same")]:
        s = stride or pool
        name = f"{snake}_pooling3d_{'x'.join(map(str, shape[1:4]))}_p{''.join(map(str, pool))}_s{''.join(map(str, s))}_{padding}"
        add(name, cfg(f"{kind}Pooling3D", name=name, poolSize=list(pool), strides=list(s), padding=padding),
            K(pool_size=pool, strides=stride, padding=padding), inputs(shape))

# ---- global pooling --------------------------------------------------------------------
for kind in ["Average", "Max"]:
    for rank, shape in [(1, [2, 5, 3]), (2, [2, 3, 4, 3]), (3, [2, 2, 3, 4, 3])]:
        for keepdims in [False, True]:
            t = f"Global{kind}Pooling{rank}D"
            name = f"global_{kind.lower()}_pooling{rank}d" + ("_keepdims" if keepdims else "")
            add(name, cfg(t, name=name, keepdims=keepdims),
                getattr(keras.layers, t)(keepdims=keepdims), inputs(shape))

# ---- padding, cropping, up-sampling, reshape, permute --------------------------------------
add("zero_padding1d", cfg("ZeroPadding1D", name="zero_padding1d", padding=[[2, 1]]),
    keras.layers.ZeroPadding1D(padding=(2, 1)), inputs([2, 4, 3]))
add("zero_padding2d", cfg("ZeroPadding2D", name="zero_padding2d", padding=[[1, 0], [2, 3]]),
    keras.layers.ZeroPadding2D(padding=((1, 0), (2, 3))), inputs([2, 3, 2, 2]))
add("zero_padding3d", cfg("ZeroPadding3D", name="zero_padding3d", padding=[[0, 1], [1, 1], [2, 0]]),
    keras.layers.ZeroPadding3D(padding=((0, 1), (1, 1), (2, 0))), inputs([1, 2, 3, 2, 2]))
add("cropping1d", cfg("Cropping1D", name="cropping1d", cropping=[[1, 2]]),
    keras.layers.Cropping1D(cropping=(1, 2)), inputs([2, 6, 3]))
add("cropping2d", cfg("Cropping2D", name="cropping2d", cropping=[[0, 1], [2, 1]]),
    keras.layers.Cropping2D(cropping=((0, 1), (2, 1))), inputs([2, 4, 5, 2]))
add("up_sampling1d", cfg("UpSampling1D", name="up_sampling1d", size=3),
    keras.layers.UpSampling1D(size=3), inputs([2, 3, 2]))
add("up_sampling2d_nearest", cfg("UpSampling2D", name="up_sampling2d_nearest", size=[2, 3], interpolation="nearest"),
    keras.layers.UpSampling2D(size=(2, 3), interpolation="nearest"), inputs([2, 3, 2, 2]))
add("up_sampling2d_bilinear", cfg("UpSampling2D", name="up_sampling2d_bilinear", size=[2, 3], interpolation="bilinear"),
    keras.layers.UpSampling2D(size=(2, 3), interpolation="bilinear"), inputs([2, 3, 4, 2]))
add("up_sampling2d_bilinear_4", cfg("UpSampling2D", name="up_sampling2d_bilinear_4", size=[4, 1], interpolation="bilinear"),
    keras.layers.UpSampling2D(size=(4, 1), interpolation="bilinear"), inputs([1, 3, 2, 3]))
add("reshape", cfg("Reshape", name="reshape", targetShape=[3, -1]),
    keras.layers.Reshape((3, -1)), inputs([2, 4, 3, 2]))
add("permute_21", cfg("Permute", name="permute_21", dims=[2, 1]),
    keras.layers.Permute((2, 1)), inputs([2, 3, 4]))
add("permute_312", cfg("Permute", name="permute_312", dims=[3, 1, 2]),
    keras.layers.Permute((3, 1, 2)), inputs([2, 2, 3, 4]))

# ---- layer normalisation -------------------------------------------------------------------
for name, axis, center, scale, shape in [("layer_normalization", [-1], True, True, [3, 4, 5]),
                                         ("layer_normalization_12", [1, 2], True, True, [2, 3, 4, 2]),
                                         ("layer_normalization_no_center", [-1], False, True, [3, 6]),
                                         ("layer_normalization_no_scale_axis1", [1], True, False, [2, 3, 4])]:
    x = inputs(shape)
    layer = keras.layers.LayerNormalization(axis=axis, epsilon=1e-3, center=center, scale=scale)
    layer.build(x.shape)
    pshape = [shape[a if a >= 0 else len(shape) + a] for a in sorted(a if a >= 0 else len(shape) + a for a in axis)]
    weights, kw = {}, []
    if scale:
        weights["gamma"] = inputs(pshape, 0.5, 1.5)
        kw.append(weights["gamma"])
    if center:
        weights["beta"] = inputs(pshape, -0.5, 0.5)
        kw.append(weights["beta"])
    add(name, cfg("LayerNormalization", name=name, axis=axis, epsilon=1e-3, center=center, scale=scale),
        layer, x, weights=weights, keras_weights=kw)

# ---- batch normalisation -------------------------------------------------------------------
for name, axis, center, scale, shape, training in [
        ("batch_normalization_no_center_scale", -1, False, False, [4, 3], False),
        ("batch_normalization_no_scale", -1, True, False, [3, 2, 4], False),
        ("batch_normalization_axis1", 1, True, True, [2, 3, 4, 2], False),
        ("batch_normalization_axis1_training", 1, True, True, [2, 3, 4, 2], True),
        ("batch_normalization_axis2_no_center_training", 2, False, True, [3, 2, 4], True)]:
    x = inputs(shape)
    channels = shape[axis]
    layer = keras.layers.BatchNormalization(axis=axis, momentum=0.99, epsilon=1e-3, center=center, scale=scale)
    weights, kw = {}, []
    if scale:
        weights["gamma"] = inputs([channels], 0.5, 1.5)
        kw.append(weights["gamma"])
    if center:
        weights["beta"] = inputs([channels], -0.5, 0.5)
        kw.append(weights["beta"])
    weights["moving_mean"] = inputs([channels], -0.5, 0.5)
    weights["moving_variance"] = inputs([channels], 0.5, 2.0)
    kw += [weights["moving_mean"], weights["moving_variance"]]
    add(name, cfg("BatchNormalization", name=name, momentum=0.99, epsilon=1e-3, axis=axis, center=center, scale=scale),
        layer, x, weights=weights, keras_weights=kw, training=training)

# ---- embedding ---------------------------------------------------------------------------
table = inputs([7, 3], -1, 1)
ids = rng.integers(0, 7, size=[2, 4]).astype(np.float32)
add("embedding", cfg("Embedding", name="embedding", inputDim=7, outputDim=3),
    keras.layers.Embedding(7, 3), ids, weights={"embeddings": table}, keras_weights=[table])
ids3 = rng.integers(0, 7, size=[2, 2, 3]).astype(np.float32)
add("embedding_rank3", cfg("Embedding", name="embedding_rank3", inputDim=7, outputDim=3),
    keras.layers.Embedding(7, 3), ids3, weights={"embeddings": table}, keras_weights=[table])

# ---- activations -------------------------------------------------------------------------
x = np.concatenate([np.array([-30, -6, -3, -2.5, -1, -0.5, 0, 0.5, 1, 2.5, 3, 6, 30], np.float32),
                    inputs([19], -7, 7)]).reshape([2, 16])
acts = {
    "relu6": tf.nn.relu6,
    "swish": keras.activations.swish,
    "silu": tf.nn.silu,
    "hard_sigmoid": keras.activations.hard_sigmoid,
    "hard_swish": lambda v: v * tf.nn.relu6(v + 3) / 6,
    "elu": keras.activations.elu,
    "selu": keras.activations.selu,
    "softplus": keras.activations.softplus,
    "softsign": keras.activations.softsign,
    "exponential": lambda v: keras.activations.exponential(tf.clip_by_value(v, -30, 20)),
}
for act, fn in acts.items():
    xa = np.clip(x, -30, 20) if act == "exponential" else x
    add(f"activation_{act}", cfg("Activation", name=f"activation_{act}", activation=act), fn, xa)
add("activation_elu_alpha", cfg("Activation", name="activation_elu_alpha", activation={"name": "elu", "alpha": 0.5}),
    lambda v: keras.activations.elu(v, alpha=0.5), x)

# ---- a Sequential chaining the layers: Keras' default names, output shapes, parameter counts --
keras.backend.clear_session()
L = keras.layers
tour = keras.Sequential([
    keras.Input(shape=(64,)),
    L.Embedding(50, 4),
    L.Reshape((8, 8, 4)),
    L.ZeroPadding2D(((1, 1), (2, 0))),
    L.Cropping2D(((1, 1), (0, 2))),
    L.UpSampling2D((2, 2), interpolation="bilinear"),
    L.Reshape((2, 16, 16, 2)),
    L.ZeroPadding3D(((0, 1), (0, 0), (1, 1))),
    L.MaxPooling3D((1, 2, 2)),
    L.AveragePooling3D((2, 2, 2), padding="same"),
    L.BatchNormalization(axis=1, center=False),
    L.Reshape((-1, 2)),
    L.ZeroPadding1D((1, 1)),
    L.Cropping1D((2, 0)),
    L.UpSampling1D(2),
    L.MaxPooling1D(3, strides=2, padding="same"),
    L.AveragePooling1D(2),
    L.LayerNormalization(),
    L.Permute((2, 1)),
    L.Activation(lambda v: v * tf.nn.relu6(v + 3) / 6),
    L.Permute((2, 1)),
    L.Dense(3, activation="selu"),
    L.GlobalMaxPooling1D(keepdims=True),
    L.GlobalAveragePooling1D(),
    L.Dense(2, activation="swish"),
])
tour_layers = [{"name": layer.name, "outputShape": list(layer.output_shape[1:]),
                "params": int(layer.count_params()),
                "trainable": int(sum(np.prod(w.shape) for w in layer.trainable_weights))}
               for layer in tour.layers]

out = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "SimilarityLayersTests", "Fixtures", "shape_layers.json")
doc = {"generator": f"scripts/golden/shape_layers.py, tensorflow {tf.__version__}, tf-keras {keras.__version__}",
       "cases": cases, "tour": tour_layers}
with open(out, "w") as f:
    json.dump(doc, f, separators=(",", ":"))
    f.write("\n")
print(f"{len(cases)} cases, {os.path.getsize(out)} bytes -> {os.path.normpath(out)}", file=sys.stderr)
