#!/usr/bin/env python3
"""Tables of the hello-world comparison from the logs of scripts/bench-hello-world.sh.

    scripts/hello-world-summary.py LOG_DIR SEED[,SEED...]

One table per seed (ours, TF Similarity, ratio), the means over the seeds, and for the quality
figures the paired difference ours - TF: mean, standard error over seeds (sd / sqrt(n)), and
on how many seeds ours is at least TF's.
"""
import math
import re
import sys

log_dir, seeds = sys.argv[1], sys.argv[2].split(",")


def ours_figures(path):
    ours = {}
    for line in open(path):
        if line.startswith("RESULT "):
            _, key, value = line.split()
            ours[key] = float(value)
    return ours


def peer_figures(path):
    peer, text = {}, open(path).read()
    peer["epoch_seconds"] = float(re.search(r"train-only epoch wall: median ([\d.]+) s", text).group(1))
    fit = re.search(r"FIT total wall [\d.]+ s cpu ([\d.]+) s; epochs (\d+)", text)
    peer["epoch_cpu_seconds"] = float(fit.group(1)) / int(fit.group(2))
    peer["recall@1"] = float(re.search(r"RETRIEVAL recall@1 = ([\d.]+)", text).group(1))
    # The last optimal cutpoint and classification are protocol B's.
    peer["calibrated_f1"] = float(re.findall(r"CUTPOINT optimal: .*?value=([\d.]+)", text)[-1])
    peer["classify_f1"] = float(re.findall(r"CLASSIFY cutpoint=optimal: .*?f1=([\d.]+)", text)[-1])
    knn = re.search(r"KNN top-1 accuracy all ([\d.]+)\s+seen ([\d.]+)\s+unseen ([\d.]+)", text)
    peer["top1_all"], peer["top1_seen"], peer["top1_unseen"] = map(float, knn.groups())
    match = re.search(r"seen-classes ([\d.]+)\s+unseen-classes ([\d.]+)", text)
    peer["match_accuracy_seen_A"], peer["match_accuracy_unseen_A"] = map(float, match.groups())
    return peer


rows = [("epoch time, s (train only, median)", "epoch_seconds"),
        ("CPU s per epoch (all threads)", "epoch_cpu_seconds"),
        ("recall@1 (B: index test 200/class)", "recall@1"),
        ("calibrated F1, optimal cutpoint (B)", "calibrated_f1"),
        ("F1 of queries at that cutpoint (B)", "classify_f1"),
        ("top-1 accuracy, all classes (B)", "top1_all"),
        ("top-1 accuracy, seen classes (B)", "top1_seen"),
        ("top-1 accuracy, unseen classes (B)", "top1_unseen"),
        ("match accuracy, seen classes (A)", "match_accuracy_seen_A"),
        ("match accuracy, unseen classes (A)", "match_accuracy_unseen_A")]
quality = rows[2:]


def table(title, ours, peer):
    print(f"\n{title}")
    print(f"| {'figure':38} | {'ours':>8} | {'TF Sim':>8} | {'ours / TF':>9} |")
    print(f"|{'-'*40}|{'-'*10}|{'-'*10}|{'-'*11}|")
    for name, key in rows:
        a, b = ours.get(key, float("nan")), peer.get(key, float("nan"))
        print(f"| {name:38} | {a:8.4f} | {b:8.4f} | {a / b if b else float('nan'):9.3f} |")


pairs = [(ours_figures(f"{log_dir}/ours-{s}.out"), peer_figures(f"{log_dir}/tfsim-{s}.out")) for s in seeds]
for seed, (ours, peer) in zip(seeds, pairs):
    table(f"seed {seed}", ours, peer)
if len(pairs) > 1:
    n = len(pairs)
    mean = lambda side: {key: sum(p[side].get(key, float("nan")) for p in pairs) / n for _, key in rows}
    table(f"mean of {n} seeds ({', '.join(seeds)})", mean(0), mean(1))
    print(f"\npaired difference ours - TF over {n} seeds")
    print(f"| {'figure':38} | {'mean':>8} | {'std err':>8} | {'ours >= TF':>10} |")
    print(f"|{'-'*40}|{'-'*10}|{'-'*10}|{'-'*12}|")
    for name, key in quality:
        d = [o.get(key, float("nan")) - p.get(key, float("nan")) for o, p in pairs]
        m = sum(d) / n
        se = math.sqrt(sum((x - m) ** 2 for x in d) / (n - 1) / n)
        wins = sum(1 for x in d if x >= 0)
        print(f"| {name:38} | {m:+8.4f} | {se:8.4f} | {wins:>4} of {n:<3} |")
