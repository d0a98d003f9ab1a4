"""Forward-pass golden values for the backbones: EfficientNetB0 (tf_keras application,
weights=None) and TF Similarity 0.17.1's ResNet18Sim, each up to its average
pooling (`include_top=False`, `pooling="avg"`), on 32×32×3 inputs, with every weight set by a formula
both sides compute (no weight file needed):

    s = (sum of the UTF-8 bytes of "layer.weight") % 997,  u_i = sin(0.1·s + 0.61·i)
    kernel / depthwise_kernel: 1.7·u_i / √fan_in (fan_in = product of all axes but the last;
        for a depthwise kernel [kh, kw, c, 1] only kh·kw)
    bias: 0.05·u_i   gamma: 1 + 0.1·u_i   beta, moving_mean: 0.1·u_i
    moving_variance: 1 + 0.25·(1 + u_i)   mean: 0.45 + 0.05·u_i   variance: 0.06 + 0.01·u_i
    count: 0

Inputs: x[b, i] = 127.5 + 120·sin((0.13 + 0.04·b)·i) over the flattened [32, 32, 3] image of
example b, scaled as the family expects (EfficientNet: none; ResNet18: x/127.5 − 1). ResNet50
is left out to keep the Swift test fast (23.8 M weights to fill in a debug build); its layers
are the ones ResNet18 and the summaries check.

Run with the peer venv: ~/.cache/similarity-peers/venv/bin/python scripts/golden/backbone_forward.py
It writes Tests/SimilarityModelsTests/Fixtures/backbone_forward.tsv: `model<TAB>v0,v1,…`
(2 × 1280, 2 × 512 pooled features).
"""
import math
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_USE_LEGACY_KERAS"] = "1"
import numpy as np
import tf_keras as keras
from tf_keras import layers
from tensorflow_similarity.architectures import ResNet18Sim


def formula(path, shape):
    s = sum(path.encode()) % 997
    n = int(np.prod(shape)) if shape else 1
    u = np.sin(0.1 * s + 0.61 * np.arange(n, dtype=np.float64))
    weight = path.split(".")[-1]
    if weight in ("kernel", "depthwise_kernel"):
        fan_in = shape[0] * shape[1] if weight == "depthwise_kernel" else int(np.prod(shape[:-1]))
        v = 1.7 * u / math.sqrt(fan_in)
    elif weight == "bias":
        v = 0.05 * u
    elif weight == "gamma":
        v = 1 + 0.1 * u
    elif weight in ("beta", "moving_mean"):
        v = 0.1 * u
    elif weight == "moving_variance":
        v = 1 + 0.25 * (1 + u)
    elif weight == "mean":
        v = 0.45 + 0.05 * u
    elif weight == "variance":
        v = 0.06 + 0.01 * u
    elif weight == "count":
        v = np.zeros(n)
    else:
        raise ValueError(f"no formula for {path}")
    return v.reshape(shape)


def set_weights(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            set_weights(layer)
            continue
        for w in layer.weights:
            name = w.name.split("/")[-1].split(":")[0]
            w.assign(formula(f"{layer.name}.{name}", tuple(w.shape)).astype(w.dtype.as_numpy_dtype))


def images():
    i = np.arange(32 * 32 * 3, dtype=np.float64)
    x = np.stack([127.5 + 120 * np.sin((0.13 + 0.04 * b) * i) for b in range(2)])
    return x.reshape(2, 32, 32, 3).astype(np.float32)


def flat(application):
    keras.backend.clear_session()
    inputs = layers.Input(shape=(32, 32, 3), name="input_1")
    base = application(include_top=False, weights=None, input_tensor=inputs, pooling="avg")
    return keras.Model(inputs, base.output)


x = images()
runs = [("efficientnet-b0-sim", flat(keras.applications.EfficientNetB0), x)]
keras.backend.clear_session()
tfsim = ResNet18Sim((32, 32, 3), 128, pooling="avg")
runs.append(("resnet18-sim", keras.Model(tfsim.input, tfsim.get_layer("avg_pool").output),
             x / 127.5 - 1))

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "SimilarityModelsTests",
    "Fixtures", "backbone_forward.tsv")
with open(out, "w") as f:
    for name, model, inputs in runs:
        set_weights(model)
        y = model(inputs, training=False).numpy()
        f.write(name + "\t" + ",".join(f"{v:.9g}" for v in y.reshape(-1)) + "\n")
        print(name, y.shape, y[0, :4], y.std())
