#!/usr/bin/env python3
"""hnswlib on the same .npy files that `similarity bench ann --save-data DIR` wrote.

usage: bench-ann-npy.py DIR [efs] [build_threads]
Prints BUILD and RESULT lines in the format of ../shared/peers/ann_bench.py (lib=hnswlib,
Euclidean, k=10, M=16, efConstruction=200, 1 query thread, best of 2 per ef), with recall
against exact search (faiss IndexFlatL2) and the build's RSS growth. Run with the peers' venv.
"""
import os
import resource
import sys
import time

import faiss
import hnswlib
import numpy as np

directory = sys.argv[1]
efs = [int(e) for e in (sys.argv[2] if len(sys.argv) > 2 else "10,20,40,80,160").split(",")]
build_threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
k = 10


def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


xb = np.ascontiguousarray(np.load(os.path.join(directory, "base.npy")), dtype=np.float32)
xq = np.ascontiguousarray(np.load(os.path.join(directory, "queries.npy")), dtype=np.float32)
n, d = xb.shape
name = os.path.basename(os.path.normpath(directory))
flat = faiss.IndexFlatL2(d)
flat.add(xb)
_, truth = flat.search(xq, k)
del flat

rss0 = rss_mib()
ix = hnswlib.Index(space="l2", dim=d)
t = time.perf_counter()
c = time.process_time()
ix.init_index(max_elements=n, ef_construction=200, M=16, random_seed=12345)
ix.add_items(xb, np.arange(n), num_threads=build_threads)
build, build_cpu = time.perf_counter() - t, time.process_time() - c
raw = (n * d * 4 + n * (2 * 16 + 1) * 4) / 2**20
growth = rss_mib() - rss0
print(f"BUILD hnswlib {build:.2f} s wall, {build_cpu:.2f} s cpu ({build_threads} threads); "
      f"rss +{growth:.1f} MiB (vectors + layer-0 links {raw:.1f} MiB)", flush=True)
ix.set_num_threads(1)
for ef in efs:
    ix.set_ef(max(ef, k))
    best = float("inf")
    for _ in range(2):
        t = time.perf_counter()
        labels, _ = ix.knn_query(xq, k=k, num_threads=1)
        best = min(best, time.perf_counter() - t)
    recall = np.mean([len(set(a) & set(b)) / k for a, b in zip(labels, truth)])
    print(f"RESULT dataset={name}  lib=hnswlib  ef={ef}  threads=1  recall={recall:.4f}  "
          f"qps={len(xq) / best:.1f}  build_s={build:.2f}", flush=True)
