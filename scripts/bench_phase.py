"""Timing helpers shared by the benchmark scripts' peer sides (bench-kernels.sh,
bench-conv-layers.sh): the CPU other processes used during a phase, best-of-N timing, and a
table of minima over rounds."""
import os
import resource
import time


def busy_jiffies():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return sum(fields[:8]) - fields[3] - fields[4]


def own_cpu_seconds():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


class Phase:
    """Reports the CPU other processes used while the phase ran."""
    def __init__(self, name): self.name = name
    def __enter__(self):
        self.wall, self.busy, self.own = time.perf_counter(), busy_jiffies(), own_cpu_seconds()
    def __exit__(self, *exc):
        wall = time.perf_counter() - self.wall
        busy = (busy_jiffies() - self.busy) / os.sysconf("SC_CLK_TCK")
        foreign = max(0.0, busy - (own_cpu_seconds() - self.own))
        print(f"# {self.name}: {wall:.1f} s wall, foreign CPU {foreign:.1f} s "
              f"({100 * foreign / (wall * os.cpu_count()):.0f}% of the machine)")


def best(fn, samples):
    """The shortest of `samples` timings of `fn()` after one warm-up call, in seconds."""
    fn()
    t = float("inf")
    for _ in range(samples):
        s = time.perf_counter(); fn(); t = min(t, time.perf_counter() - s)
    return t


def keep_min(table, key, value):
    table[key] = min(table.get(key, float("inf")), value)
