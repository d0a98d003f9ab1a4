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
