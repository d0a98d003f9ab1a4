#!/usr/bin/env python3
"""Alternating query-speed rounds: swift-similarity HNSW vs hnswlib on saved indexes.

The machine is shared, so load changes within minutes. This runs R rounds; each round times
ours (`similarity bench ann --load-index`) and then hnswlib (`knn_query`, 1 thread) on the same
Fashion-MNIST queries for every efSearch, and keeps the best QPS of each side per ef. Both
indexes are built once beforehand (M=16, efConstruction=200) and saved.

usage: bench-ann-alternate.py SIMILARITY_BINARY SWIFT_INDEX HNSWLIB_INDEX [rounds] [efs]
(TRAVERSAL=float32,float16 by default: our traversal precisions, each timed every round;
SEARCH_BASIS=original,pca: the coordinates our searches walk, each timed every round — the
principal axes are fitted once per round when the index loads, outside the timing)
Run with the peers' venv python (needs numpy, hnswlib and /work/shared/peers/idx_data.py).
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.environ.get("PEERS_DIR", "/work/shared/peers"))
import hnswlib  # noqa: E402
import numpy as np  # noqa: E402
import idx_data  # noqa: E402

binary, swift_index, hnsw_index = sys.argv[1:4]
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
efs = [int(e) for e in (sys.argv[5] if len(sys.argv) > 5 else "10,20,40,80,160").split(",")]
(xb, _), (xq, _) = idx_data.load_fashion_mnist()
xb = np.ascontiguousarray(xb.reshape(len(xb), -1).astype(np.float32))
xq = np.ascontiguousarray(xq.reshape(len(xq), -1).astype(np.float32))
n, d = xb.shape
ix = hnswlib.Index(space="l2", dim=d)
if os.path.exists(hnsw_index):
    ix.load_index(hnsw_index, max_elements=n)
else:
    t = time.perf_counter()
    ix.init_index(max_elements=n, ef_construction=200, M=16, random_seed=12345)
    ix.add_items(xb, np.arange(n), num_threads=2)
    print(f"hnswlib build {time.perf_counter() - t:.2f} s (2 threads)", flush=True)
    ix.save_index(hnsw_index)
best = {}
for r in range(rounds):
    out = subprocess.run(
        [binary, "bench", "ann", "--load-index", swift_index, "--efs", ",".join(map(str, efs)),
         "--threads", "1", "--repeats", "1", "--exact-queries", "10",
         "--traversal", os.environ.get("TRAVERSAL", "float32,float16"),
         "--basis", os.environ.get("BASIS", "original"),
         "--search-basis", os.environ.get("SEARCH_BASIS", os.environ.get("BASIS", "original"))],
        capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("RESULT") and "swift_hnsw" in line:
            kv = dict(re.findall(r"(\w+)=(\S+)", line))
            key = (kv["lib"], int(kv["ef"]))
            best[key] = max(best.get(key, (0, 0))[0], float(kv["qps"])), float(kv["recall"])
    for ef in efs:
        ix.set_ef(max(ef, 10))
        t = time.perf_counter()
        ids, _ = ix.knn_query(xq, k=10, num_threads=1)
        qps = len(xq) / (time.perf_counter() - t)
        key = ("hnswlib", ef)
        best[key] = max(best.get(key, (0, 0))[0], qps), best.get(key, (0, None))[1]
    print(f"round {r + 1}/{rounds} done; load {os.getloadavg()}", flush=True)
print(f"{'ours':>18} {'ef':>4} | {'swift qps':>9} {'recall':>7} | {'hnswlib qps':>11} | ratio")
for lib in sorted({key[0] for key in best if key[0] != "hnswlib"}):
    for ef in efs:
        s, sr = best[(lib, ef)]
        h, _ = best[("hnswlib", ef)]
        print(f"{lib:>18} {ef:>4} | {s:9.0f} {sr:7.4f} | {h:11.0f} | {s / h:.2f}x")
