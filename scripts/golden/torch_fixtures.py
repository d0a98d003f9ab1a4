#!/usr/bin/env python3
"""Tiny PyTorch checkpoints for the SimilarityModels import tests, written WITHOUT torch.

Run with the peer venv:
    ~/.cache/similarity-peers/venv/bin/python scripts/golden/torch_fixtures.py
It writes into Tests/SimilarityModelsTests/Fixtures/:

- tiny_legacy.pth: torch's legacy serialization (five protocol-2 pickles: magic number, 1001,
  sys_info, the state dict, the storage keys; then per key an int64 count and the elements);
- tiny_zip.pt: torch's zip format (archive/data.pkl, archive/data/<key>, archive/byteorder,
  archive/version) laid out as torch's miniz writer does (stored entries, 64-byte aligned data
  behind an 'FB' extra field, data descriptors, a ZIP64 end record before the classic one);
- tiny_zip64.pt: the same with the classic end record and central sizes saturated (0xFFFF...),
  the real values in ZIP64 fields, as in checkpoints over 4 GiB;
  both holding the same state dict, pickled exactly as torch does it: an OrderedDict (with its
  `_metadata` attribute set by BUILD) of tensors rebuilt by torch._utils._rebuild_tensor_v2,
  storages as persistent ids ('storage', torch.FloatStorage, key, 'cpu', numel[, None]). The
  conv weight is a non-contiguous view (HWIO storage, OIHW view) at a storage offset, two
  tensors share one storage, num_batches_tracked is a LongStorage scalar, one tensor is half;
- refused files: a GLOBAL os.system, a STACK_GLOBAL builtins.eval, an INST opcode, a legacy
  file cut inside its storages and one cut inside its pickle, a zip whose storage declares more
  elements than its data, a view reaching past its storage, a compressed zip entry;
- torch_fixtures.json: every tensor's dtype, shape and C-order values (numpy's as_strided on the
  storage: independent of the Swift gather), the same tensors in our layouts (HWIO conv
  kernels, [kh, kw, C, m] depthwise, [in, out] dense), and a numpy forward pass of a tiny
  model (conv 2x2 valid -> batch norm (eps 1e-3) -> depthwise 3x3 valid -> global average
  -> dense) on a fixed input, the oracle for applying the checkpoint to our layers.
"""
import collections
import io
import json
import os
import pickle
import struct
import sys
import types
import zipfile
import zlib

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "SimilarityModelsTests",
                   "Fixtures")
rng = np.random.default_rng(16)

# Stand-ins for torch's globals, so pickle writes GLOBAL 'torch FloatStorage' and
# 'torch._utils _rebuild_tensor_v2' exactly as torch does (torch itself is not installed).
torch = types.ModuleType("torch")
utils = types.ModuleType("torch._utils")
sys.modules["torch"], sys.modules["torch._utils"] = torch, utils
for name in ["FloatStorage", "LongStorage", "HalfStorage"]:
    cls = type(name, (), {"__module__": "torch"})
    setattr(torch, name, cls)


def _rebuild_tensor_v2(*args):
    raise RuntimeError("never called")


_rebuild_tensor_v2.__module__ = "torch._utils"
utils._rebuild_tensor_v2 = _rebuild_tensor_v2
DTYPES = {"FloatStorage": np.float32, "LongStorage": np.int64, "HalfStorage": np.float16}


class Storage:
    def __init__(self, kind, key, values):
        self.kind, self.key = kind, key
        self.values = np.asarray(values, dtype=DTYPES[kind])


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, size, stride

    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor_v2, (self.storage, self.offset, tuple(self.size),
                                     tuple(self.stride), False, collections.OrderedDict()))

    def numpy(self):
        item = self.storage.values.itemsize
        return np.lib.stride_tricks.as_strided(
            self.storage.values[self.offset:], shape=self.size,
            strides=[s * item for s in self.stride]).copy()


def contiguous(shape):
    strides, step = [], 1
    for n in reversed(shape):
        strides.insert(0, step)
        step *= n
    return strides


def make_state(keys):
    """The state dict; `keys` names the storages (legacy: big numbers, zip: '0', '1', ...)."""
    # conv.weight: OIHW (4, 3, 2, 2) viewed on an HWIO storage at offset 5 (as converted TF
    # checkpoints store it), with 3 spare elements after.
    hwio = rng.standard_normal((2, 2, 3, 4)).astype(np.float32)
    conv_storage = Storage("FloatStorage", keys[0], np.concatenate(
        [rng.standard_normal(5), hwio.ravel(), rng.standard_normal(3)]))
    conv_weight = Tensor(conv_storage, 5, [4, 3, 2, 2], [1, 4, 24, 12])
    conv_bias = Tensor(Storage("FloatStorage", keys[1], rng.standard_normal(4)), 0, [4], [1])
    # bn.weight and bn.bias share one storage.
    affine = Storage("FloatStorage", keys[2], np.concatenate(
        [rng.uniform(0.5, 1.5, 4), rng.standard_normal(4) * 0.1]))
    mean = Storage("FloatStorage", keys[3], rng.standard_normal(4) * 0.2)
    var = Storage("FloatStorage", keys[4], rng.uniform(0.5, 2.0, 4))
    tracked = Storage("LongStorage", keys[5], [1234])
    depthwise = Storage("FloatStorage", keys[6], rng.standard_normal(36))
    fc_w = Storage("FloatStorage", keys[7], rng.standard_normal(8))
    fc_b = Storage("FloatStorage", keys[8], rng.standard_normal(2))
    half = Storage("HalfStorage", keys[9], [0.5, -1.25, 3.0])
    state = collections.OrderedDict([
        ("conv.weight", conv_weight), ("conv.bias", conv_bias),
        ("bn.weight", Tensor(affine, 0, [4], [1])), ("bn.bias", Tensor(affine, 4, [4], [1])),
        ("bn.running_mean", Tensor(mean, 0, [4], [1])),
        ("bn.running_var", Tensor(var, 0, [4], [1])),
        ("bn.num_batches_tracked", Tensor(tracked, 0, [], [])),
        ("dw.weight", Tensor(depthwise, 0, [4, 1, 3, 3], contiguous([4, 1, 3, 3]))),
        # fc.weight (2, 4) stored transposed: a non-contiguous 2-D view.
        ("fc.weight", Tensor(fc_w, 0, [2, 4], [1, 2])),
        ("fc.bias", Tensor(fc_b, 0, [2], [1])),
        ("extra.half", Tensor(half, 0, [3], [1])),
    ])
    state._metadata = collections.OrderedDict([("", {"version": 1}), ("bn", {"version": 2})])
    return state


def storages_of(state):
    seen = collections.OrderedDict()
    for tensor in state.values():
        seen.setdefault(tensor.storage.key, tensor.storage)
    return list(seen.values())


def pickle_state(state, legacy):
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=2)

    def persistent_id(obj):
        if isinstance(obj, Storage):
            pid = ("storage", getattr(torch, obj.kind), obj.key, "cpu", obj.values.size)
            return pid + (None,) if legacy else pid
        return None

    pickler.persistent_id = persistent_id
    pickler.dump(state)
    return buffer.getvalue()


def legacy_bytes(state, count_override=None):
    out = io.BytesIO()
    for value in [119547037146038801333356, 1001,
                  {"protocol_version": 1001, "little_endian": True,
                   "type_sizes": {"short": 2, "int": 4, "long": 4}}]:
        pickle.dump(value, out, protocol=2)
    out.write(pickle_state(state, legacy=True))
    storages = storages_of(state)
    pickle.dump([s.key for s in storages], out, protocol=2)
    for storage in storages:
        out.write(struct.pack("<q", storage.values.size))
        out.write(storage.values.astype(storage.values.dtype.newbyteorder("<")).tobytes())
    return out.getvalue()


def torch_zip(entries, saturate=False):
    """A zip laid out as PyTorch's writer (miniz, MZ_ZIP_FLAG_WRITE_ZIP64) lays it out: stored
    entries whose local headers carry an 'FB' extra field padding the data to 64 bytes, general
    purpose flags 0x0808 (data descriptor, UTF-8 names) with a data descriptor after the data,
    and a ZIP64 end-of-central-directory record and locator before the classic end record.
    With `saturate`, the classic fields hold 0xFFFF/0xFFFFFFFF and the real values live in ZIP64
    extra fields and the ZIP64 record (what a > 4 GiB checkpoint looks like)."""
    out, central = bytearray(), bytearray()
    for name, data in entries:
        name = name.encode()
        crc = zlib.crc32(data)
        offset = len(out)
        pad = (-(offset + 30 + len(name) + 4)) % 64
        extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 0, 0x0808, 0, 0, 0x21, crc, len(data),
                           len(data), len(name), len(extra)) + name + extra
        assert len(out) % 64 == 0
        out += data + struct.pack("<IIII", 0x08074B50, crc, len(data), len(data))
        if saturate:
            z64 = struct.pack("<HHQQQ", 1, 24, len(data), len(data), offset)
            fields = (0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        else:
            z64, fields = b"", (len(data), len(data), offset)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0, 0, 0x0808, 0, 0, 0x21, crc,
                               fields[0], fields[1], len(name), len(z64), 0, 0, 0, 0,
                               fields[2]) + name + z64
    start, count = len(out), len(entries)
    out += central
    record = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(central),
                       start)
    out += struct.pack("<IIQI", 0x07064B50, 0, record, 1)
    if saturate:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                           0xFFFFFFFF, 0)
    else:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), start, 0)
    return bytes(out)


def zip_bytes(state, data_override=None, compress=False, saturate=False):
    entries = [("archive/data.pkl", pickle_state(state, legacy=False)),
               ("archive/byteorder", b"little")]
    for storage in storages_of(state):
        data = storage.values.tobytes()
        if data_override and storage.key in data_override:
            data = data_override[storage.key]
        entries.append((f"archive/data/{storage.key}", data))
    entries.append(("archive/version", b"3\n"))
    if not compress:
        raw = torch_zip(entries, saturate)
        with zipfile.ZipFile(io.BytesIO(raw)) as check:  # Python reads it too
            assert check.testzip() is None and len(check.namelist()) == len(entries)
        return raw
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:  # a fixed date keeps the fixture reproducible
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def zip_with_pickle(raw):
    return torch_zip([("archive/data.pkl", raw), ("archive/version", b"3\n")])


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def forward(state, x):
    """conv 2x2 valid -> BN(eps 1e-3) -> depthwise 3x3 valid -> global average -> dense, NHWC,
    written from PyTorch's definitions (cross-correlation, OIHW weights)."""
    w, b = state["conv.weight"].numpy().astype(np.float64), state["conv.bias"].numpy()
    h = np.zeros((x.shape[0] - 1, x.shape[1] - 1, 4))
    for i in range(h.shape[0]):
        for j in range(h.shape[1]):
            for o in range(4):
                h[i, j, o] = np.sum(x[i:i + 2, j:j + 2, :].transpose(2, 0, 1) * w[o]) + b[o]
    g, beta = state["bn.weight"].numpy(), state["bn.bias"].numpy()
    m, v = state["bn.running_mean"].numpy(), state["bn.running_var"].numpy()
    h = (h - m) / np.sqrt(v + 1e-3) * g + beta
    d = state["dw.weight"].numpy().astype(np.float64)
    k = np.zeros((h.shape[0] - 2, h.shape[1] - 2, 4))
    for i in range(k.shape[0]):
        for j in range(k.shape[1]):
            for c in range(4):
                k[i, j, c] = np.sum(h[i:i + 3, j:j + 3, c] * d[c, 0])
    pooled = k.mean(axis=(0, 1))
    return state["fc.weight"].numpy() @ pooled + state["fc.bias"].numpy()


def main():
    os.makedirs(OUT, exist_ok=True)
    legacy_keys = [str(94000000 + 64 * i) for i in range(10)]
    legacy_state = make_state(legacy_keys)
    # The zip file holds the same values under keys '0'...'9'.
    zip_state = collections.OrderedDict()
    for name, tensor in legacy_state.items():
        index = legacy_keys.index(tensor.storage.key)
        zip_state[name] = Tensor(None, tensor.offset, tensor.size, tensor.stride)
        zip_state[name].storage = Storage(tensor.storage.kind, str(index), tensor.storage.values)
    shared = {}
    for tensor in zip_state.values():  # keep the shared storage shared
        tensor.storage = shared.setdefault(tensor.storage.key, tensor.storage)
    zip_state._metadata = legacy_state._metadata

    legacy = legacy_bytes(legacy_state)
    write("tiny_legacy.pth", legacy)
    write("tiny_zip.pt", zip_bytes(zip_state))
    write("tiny_zip64.pt", zip_bytes(zip_state, saturate=True))

    # Refused files.
    write("evil_os_system.pt", zip_with_pickle(
        b"\x80\x02cos\nsystem\nX\x07\x00\x00\x00echo hi\x85R."))
    write("evil_eval.pt", zip_with_pickle(
        b"\x80\x04\x95\x1f\x00\x00\x00\x00\x00\x00\x00\x8c\x08builtins\x8c\x04eval\x93"
        b"\x8c\x041+1\x85R."))
    write("evil_inst.pt", zip_with_pickle(b"\x80\x02(X\x01\x00\x00\x00aibuiltins\nprint\n."))
    pickle_end = len(legacy) - sum(8 + s.values.nbytes for s in storages_of(legacy_state))
    write("truncated_storage.pth", legacy[:len(legacy) - 20])
    write("truncated_pickle.pth", legacy[:pickle_end // 2])
    write("oversized_storage.pt", zip_bytes(zip_state, data_override={"1": b"\x00" * 8}))
    outside = collections.OrderedDict(zip_state)
    outside["conv.bias"] = Tensor(zip_state["conv.bias"].storage, 2, [4], [1])
    write("view_outside_storage.pt", zip_bytes(outside))
    write("compressed.pt", zip_bytes(zip_state, compress=True))

    x = rng.standard_normal((5, 5, 3))
    expected = {
        "tensors": [
            {"name": name, "dtype": t.storage.kind, "shape": t.size,
             "values": [float(v) for v in t.numpy().ravel()]}
            for name, t in legacy_state.items()],
        "ours": {
            "conv.kernel": [float(v) for v in
                            legacy_state["conv.weight"].numpy().transpose(2, 3, 1, 0).ravel()],
            "dw.depthwise_kernel": [float(v) for v in legacy_state["dw.weight"].numpy()
                                    .reshape(4, 1, 3, 3).transpose(2, 3, 0, 1).ravel()],
            "fc.kernel": [float(v) for v in legacy_state["fc.weight"].numpy().T.ravel()],
        },
        "input": [float(v) for v in x.ravel()],
        "output": [float(v) for v in forward(legacy_state, x)],
    }
    with open(os.path.join(OUT, "torch_fixtures.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
