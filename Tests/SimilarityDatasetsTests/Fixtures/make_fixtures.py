# Regenerates the .npy fixtures in this folder (numpy 2.4.6 made the committed ones):
#   cd Tests/SimilarityDatasetsTests/Fixtures && python3 make_fixtures.py
import numpy as np
from numpy.lib import format as npformat

np.save("f4_2x3.npy", (np.arange(6, dtype="<f4") * 0.5 - 1).reshape(2, 3))
np.save("f8_3.npy", np.array([1.5, -2.25, 1e10], dtype="<f8"))
np.save("i8_2x2.npy", np.array([[1, -2], [3, 2**40]], dtype="<i8"))
np.save("i4_4.npy", np.array([7, -8, 0, 2**31 - 1], dtype="<i4"))
np.save("u1_5.npy", np.array([0, 1, 127, 128, 255], dtype="u1"))
np.save("u8_2.npy", np.array([5, 2**63 + 1], dtype="<u8"))
np.save("f4_scalar.npy", np.array(3.5, dtype="<f4"))
np.save("f4_0x4.npy", np.zeros((0, 4), dtype="<f4"))
np.save("f4_fortran.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
np.save("f4_bigendian.npy", np.arange(3, dtype=">f4"))
for version in [(2, 0), (3, 0)]:
    with open("f4_v%d.npy" % version[0], "wb") as f:
        npformat.write_array(f, np.array([[1, 2], [3, 4]], dtype="<f4"), version=version)

# Tiny IDX files (the MNIST format), raw and gzip-compressed (mtime=0 for reproducible bytes):
# three 2x2 unsigned-byte "images" with pixels 0..11, and their labels 2, 0, 1.
import gzip
import struct

images = bytes([0, 0, 8, 3]) + struct.pack(">III", 3, 2, 2) + bytes(range(12))
labels = bytes([0, 0, 8, 1]) + struct.pack(">I", 3) + bytes([2, 0, 1])
for name, payload in [("tiny-images-idx3-ubyte", images), ("tiny-labels-idx1-ubyte", labels)]:
    with open(name, "wb") as f:
        f.write(payload)
    with open(name + ".gz", "wb") as f:
        f.write(gzip.compress(payload, compresslevel=9, mtime=0))
# Two gzip members back to back (what `cat a.gz b.gz` makes) decompress to the whole file.
with open("tiny-images-two-members.gz", "wb") as f:
    f.write(gzip.compress(images[:10], mtime=0) + gzip.compress(images[10:], mtime=0))
# A small gzip "bomb": the tiny labels file followed by 4 MiB of zeros (about 4 KB compressed).
# Its IDX header declares 11 bytes, so inflating must stop right after them.
with open("tiny-labels-bomb.gz", "wb") as f:
    f.write(gzip.compress(labels + bytes(4 << 20), compresslevel=9, mtime=0))
