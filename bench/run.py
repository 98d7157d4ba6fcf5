#!/usr/bin/env python
"""scratchnet benchmarks: one command, every contender side by side in the same run.

    python bench/run.py            # full run (5 rounds of benchmark 1, 9 of benchmark 2)
    python bench/run.py --quick    # smoke run (2 and 3 rounds)
    python bench/run.py --threads 2 --repeats 7 --json results.json

Benchmark 1, XOR 2-4-1, 10,000 full-batch epochs, float64, lr 0.1, ReLU + sigmoid,
binary cross-entropy, the same RandomState(42) initial weights for everyone:
the chapter's own code (tests/seed_chapter.py, verbatim), scratchnet ``fit``,
scratchnet ``train`` (the chapter loop), PyTorch CPU, and a hand-written NumPy loop
(bench/numpy_xor.py, a reference floor).

Benchmark 2, MLP 784-256-10, ReLU + softmax cross-entropy, float32, batch 128, one
shuffled epoch over 60,000 synthetic samples, SGD lr 0.01: scratchnet ``fit``, a
hand-written NumPy loop (bench/numpy_mlp.py) and PyTorch CPU, all from the same
initial weights and the same permutation. Peak memory of each is measured in a
fresh subprocess.

Timing: every round runs every contender once, in an order rotated from round to
round (so load drift on a shared machine hits everyone alike); the table shows the
median, min and max over the rounds. Ratios are ratios of medians; the bracket after
each is the range of the per-round ratios (both contenders timed back to back).

Threads: OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS (and the other usual
variables) are set to ``--threads`` before NumPy or PyTorch is imported, and
``torch.set_num_threads(--threads)`` is called; subprocesses inherit them. The default
is 1 thread for every contender: see bench/README.md for why (2 cores, shared).

Works without PyTorch: its columns then say "not installed".
"""

from __future__ import annotations

import argparse
import os
import sys


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="fewer timed rounds: 2 for XOR and 3 for the MLP (instead of 5 and 9)")
    p.add_argument("--repeats", type=int, default=None,
                   help="timed rounds of benchmark 1 (default 5, 2 with --quick)")
    p.add_argument("--mlp-repeats", type=int, default=None,
                   help="timed rounds of benchmark 2 (default 9, 3 with --quick)")
    p.add_argument("--paired-rounds", type=int, default=None,
                   help="rounds of benchmark 1's paired measurement, 1,000 epochs per contender "
                        "per round (default 60, 20 with --quick; 0 leaves it out)")
    p.add_argument("--threads", type=int, default=1,
                   help="BLAS/OpenMP/torch threads for every contender (default 1)")
    p.add_argument("--only", choices=("xor", "mlp"), default=None, help="run one benchmark only")
    p.add_argument("--no-memory", action="store_true", help="skip the peak-memory subprocesses")
    p.add_argument("--no-torch", action="store_true", help="leave PyTorch out even if installed")
    p.add_argument("--json", default=None, help="also write the results to this JSON file")
    p.add_argument("--child", default=None, help=argparse.SUPPRESS)  # memory subprocess
    args = p.parse_args(argv)
    if args.repeats is None:
        args.repeats = 2 if args.quick else 5
    if args.mlp_repeats is None:
        args.mlp_repeats = 3 if args.quick else 9
    if args.paired_rounds is None:
        args.paired_rounds = 20 if args.quick else 60
    if min(args.repeats, args.mlp_repeats, args.threads) < 1 or args.paired_rounds < 0:
        p.error("--repeats, --mlp-repeats and --threads must be at least 1, "
                "--paired-rounds at least 0")
    return args


ARGS = parse_args()
THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
for _var in THREAD_VARS:  # before NumPy (OpenBLAS) and torch (MKL, OpenMP) are loaded
    os.environ[_var] = str(ARGS.threads)

import contextlib  # noqa: E402
import gc  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))  # scratchnet from this checkout even when not installed
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "tests"))  # seed_chapter.py

from numpy_mlp import train_numpy_mlp  # noqa: E402
from numpy_xor import train_numpy_xor  # noqa: E402

import scratchnet  # noqa: E402
from scratchnet import (  # noqa: E402
    SGD,
    BinaryCrossEntropy,
    Identity,
    NeuralNetwork,
    ReLU,
    Sigmoid,
    SoftmaxCrossEntropy,
    fit,
    train,
)


def load_torch():
    if ARGS.no_torch:
        return None
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(ARGS.threads)
    return torch


NOT_INSTALLED = "left out (--no-torch)" if ARGS.no_torch else "not installed"


class Stopwatch:
    """Wall time (the benchmark's measure) and this process's CPU time, from creation.

    The CPU time leaves out the time the process waits for a core on a shared
    machine; with one thread per contender it is a steadier second opinion.
    """

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def elapsed(self) -> tuple:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu

# ----------------------------------------------------------------------------------
# Benchmark 1: XOR
# ----------------------------------------------------------------------------------

XOR_EPOCHS = 10_000
XOR_LR = 0.1
XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=np.float64)


def xor_network() -> NeuralNetwork:
    return NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(42))


def xor_seed():
    """The chapter's code, verbatim; it seeds the global RandomState(42) itself."""
    from seed_chapter import run_seed

    state = np.random.get_state()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            start = Stopwatch()
            losses, _, network = run_seed()
            seconds = start.elapsed()
    finally:
        np.random.set_state(state)
    return seconds, float(losses[-1]), network


def xor_fit():
    network = xor_network()
    gc.collect()
    start = Stopwatch()
    history = fit(network, XOR_X, XOR_Y, BinaryCrossEntropy(), SGD(XOR_LR), epochs=XOR_EPOCHS)
    seconds = start.elapsed()
    return seconds, float(history.loss[-1]), network


def xor_train():
    network = xor_network()
    gc.collect()
    start = Stopwatch()
    losses = train(network, XOR_X, XOR_Y, epochs=XOR_EPOCHS, learning_rate=XOR_LR)
    seconds = start.elapsed()
    return seconds, float(losses[-1]), network


def chapter_loop(network, X, y, epochs: int) -> list:
    """The chapter's training loop, word for word (its progress lines go to the caller's
    stdout), around any network with the chapter's ``forward(x)`` and
    ``backward(grad_output, learning_rate)``; returns the losses."""
    learning_rate, losses = XOR_LR, []
    for epoch in range(epochs):
        output = network.forward(X)
        loss = -np.mean(y * np.log(output + 1e-15) + (1 - y) * np.log(1 - output + 1e-15))
        losses.append(loss)
        grad_output = -(y / (output + 1e-15) - (1 - y) / (1 - output + 1e-15)) / len(X)
        network.backward(grad_output, learning_rate)
        if epoch % 1000 == 0:
            print(f"Epoch {epoch}, Loss: {loss:.4f}")
    return losses


def xor_hand():
    """A reader's loop: the chapter's training loop, word for word, around scratchnet's
    NeuralNetwork.forward and NeuralNetwork.backward (each checks its arguments per call)."""
    network = xor_network()
    gc.collect()
    with contextlib.redirect_stdout(io.StringIO()):
        start = Stopwatch()
        losses = chapter_loop(network, XOR_X, XOR_Y, XOR_EPOCHS)
        seconds = start.elapsed()
    return seconds, float(losses[-1]), network


def xor_numpy():
    params = [p.copy() for p in xor_network().parameters()]
    gc.collect()
    start = Stopwatch()
    losses = train_numpy_xor(XOR_X, XOR_Y, *params, XOR_LR, XOR_EPOCHS)
    seconds = start.elapsed()
    return seconds, float(losses[-1]), params


def make_xor_torch(torch):
    nn = torch.nn

    def xor_torch(steps: int = XOR_EPOCHS):
        W1, b1, W2, b2 = xor_network().parameters()
        model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1)).double()
        with torch.no_grad():  # nn.Linear keeps weight as (out, in): the transpose
            model[0].weight.copy_(torch.from_numpy(W1.T))
            model[0].bias.copy_(torch.from_numpy(b1.ravel()))
            model[2].weight.copy_(torch.from_numpy(W2.T))
            model[2].bias.copy_(torch.from_numpy(b2.ravel()))
        X = torch.from_numpy(XOR_X)
        y = torch.from_numpy(XOR_Y)
        loss_fn = nn.BCEWithLogitsLoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=XOR_LR)
        gc.collect()
        start = Stopwatch()
        for _ in range(steps):
            optimizer.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
        last = loss.item()  # the loss before the last update, as the others record it
        seconds = start.elapsed()
        return seconds, last, model

    return xor_torch


# ----------------------------------------------------------------------------------
# Benchmark 2: MLP
# ----------------------------------------------------------------------------------

MLP_N, MLP_D, MLP_H, MLP_K = 60_000, 784, 256, 10
MLP_BATCH, MLP_LR, MLP_EPOCHS, MLP_SHUFFLE_SEED = 128, 0.01, 1, 1


def mlp_data():
    """X standard normal float32 (60000, 784), labels in [0, 10), from default_rng(0).

    ``standard_normal(dtype=float32)`` draws float32 directly (no float64 copy that
    would inflate the memory baseline's high-water mark).
    """
    rng = np.random.default_rng(0)
    X = rng.standard_normal((MLP_N, MLP_D), dtype=np.float32)
    labels = rng.integers(0, MLP_K, MLP_N)
    return X, labels


def mlp_network() -> NeuralNetwork:
    return NeuralNetwork(
        [MLP_D, MLP_H, MLP_K], [ReLU(), Identity()], init="he", dtype=np.float32, rng=0
    )


def mlp_fit(X, labels, n=None):
    network = mlp_network()
    X, labels = (X, labels) if n is None else (X[:n], labels[:n])
    gc.collect()
    start = Stopwatch()
    history = fit(
        network, X, labels, SoftmaxCrossEntropy(), SGD(MLP_LR),
        epochs=MLP_EPOCHS, batch_size=MLP_BATCH, rng=MLP_SHUFFLE_SEED,
    )
    seconds = start.elapsed()
    return seconds, float(history.loss[-1]), [p.copy() for p in network.parameters()]


def mlp_numpy(X, labels, n=None):
    params = [p.copy() for p in mlp_network().parameters()]
    X, labels = (X, labels) if n is None else (X[:n], labels[:n])
    gc.collect()
    start = Stopwatch()
    losses = train_numpy_mlp(
        X, labels, *params, MLP_LR, MLP_BATCH, MLP_EPOCHS, np.random.default_rng(MLP_SHUFFLE_SEED)
    )
    seconds = start.elapsed()
    return seconds, float(losses[-1]), params


def make_mlp_torch(torch):
    nn = torch.nn

    def mlp_torch(X, labels, n=None):
        W1, b1, W2, b2 = mlp_network().parameters()
        model = nn.Sequential(nn.Linear(MLP_D, MLP_H), nn.ReLU(), nn.Linear(MLP_H, MLP_K))
        with torch.no_grad():
            model[0].weight.copy_(torch.from_numpy(W1.T))
            model[0].bias.copy_(torch.from_numpy(b1.ravel()))
            model[2].weight.copy_(torch.from_numpy(W2.T))
            model[2].bias.copy_(torch.from_numpy(b2.ravel()))
        X, labels = (X, labels) if n is None else (X[:n], labels[:n])
        Xt = torch.from_numpy(X)  # shares memory with the NumPy array
        yt = torch.from_numpy(labels)
        loss_fn = nn.CrossEntropyLoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=MLP_LR)
        rng = np.random.default_rng(MLP_SHUFFLE_SEED)  # the same order as the others
        size = Xt.shape[0]
        gc.collect()
        start = Stopwatch()
        for _ in range(MLP_EPOCHS):
            order = torch.from_numpy(rng.permutation(size))
            total = torch.zeros((), dtype=torch.float64)
            for begin in range(0, size, MLP_BATCH):
                idx = order[begin:begin + MLP_BATCH]
                xb, yb = Xt.index_select(0, idx), yt.index_select(0, idx)
                optimizer.zero_grad()
                loss = loss_fn(model(xb), yb)
                loss.backward()
                optimizer.step()
                total += loss.detach() * idx.shape[0]
            epoch_loss = float(total) / size
        seconds = start.elapsed()
        params = [
            model[0].weight.detach().numpy().T.copy(), model[0].bias.detach().numpy()[None, :].copy(),
            model[2].weight.detach().numpy().T.copy(), model[2].bias.detach().numpy()[None, :].copy(),
        ]
        return seconds, epoch_loss, params

    return mlp_torch


# ----------------------------------------------------------------------------------
# Peak memory, in a fresh subprocess per contender
# ----------------------------------------------------------------------------------


def proc_status_kib(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def memory_child(spec: str) -> None:
    """``--child mlp:NAME:rss`` or ``mlp:NAME:tracemalloc``; prints one JSON line."""
    _, name, method = spec.split(":")
    if name == "torch":
        torch = load_torch()
        run = make_mlp_torch(torch)
    else:
        run = {"scratchnet": mlp_fit, "numpy": mlp_numpy}[name]
    X, labels = mlp_data()
    gc.collect()
    result = {"name": name, "method": method}
    if method == "rss":
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        result["baseline_maxrss_kib"] = base
        result["baseline_vmrss_kib"] = proc_status_kib("VmRSS")
        seconds, loss, _ = run(X, labels)
        result["peak_maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result["delta_kib"] = result["peak_maxrss_kib"] - base
        hwm = proc_status_kib("VmHWM")  # cross-check: this process's own peak RSS
        if hwm is not None and result["baseline_vmrss_kib"] is not None:
            result["vmhwm_delta_kib"] = hwm - result["baseline_vmrss_kib"]
    else:
        tracemalloc.start()
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        seconds, loss, _ = run(X, labels)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result["delta_kib"] = (peak - before) // 1024
    result["seconds"] = seconds[0]
    result["loss"] = loss
    print(json.dumps(result))


def measure_memory(name: str, method: str) -> dict:
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--threads", str(ARGS.threads),
         "--child", f"mlp:{name}:{method}"],
        capture_output=True, text=True, env=os.environ.copy(),
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def torch_available() -> bool:
    import importlib.util

    return not ARGS.no_torch and importlib.util.find_spec("torch") is not None


MEMORY_ROWS = (
    ("fit", "scratchnet", ("rss", "tracemalloc")),
    ("numpy", "numpy", ("rss", "tracemalloc")),
    ("torch", "torch", ("rss",)),
)


def measure_all_memory() -> dict:
    parent_rss = proc_status_kib("VmRSS")
    print(f"(measuring peak memory in fresh subprocesses; this process's RSS: "
          f"{(parent_rss or 0) / 1024:.0f} MiB)", flush=True)
    memory = {"parent_rss_kib": parent_rss}
    for key, name, methods in MEMORY_ROWS:
        if key == "torch" and not torch_available():
            continue
        memory[key] = {m: measure_memory(name, m) for m in methods}
    return memory


def print_memory(memory: dict, labels: dict) -> None:
    print("\n  Peak memory of one epoch, each contender in a fresh subprocess:")
    print("    rss = ru_maxrss after the run minus ru_maxrss after imports and data creation")
    print("          (in brackets: VmHWM after the run minus VmRSS at the baseline, a cross-check)")
    print("    tracemalloc = peak of NumPy's traced allocations during the run (NumPy contenders only)")
    print(f"    X itself is {MLP_N * MLP_D * 4 / 2**20:.0f} MiB, created before the baseline; "
          f"parent RSS when the children started: {(memory.get('parent_rss_kib') or 0) / 1024:.0f} MiB")
    for key, _, methods in MEMORY_ROWS:
        if key not in memory:
            print(f"    {labels[key]:<50} {NOT_INSTALLED}")
            continue
        cells = []
        for m in methods:
            r = memory[key][m]
            if "delta_kib" not in r:
                cells.append(f"{m} error: {r['error']}")
                continue
            cell = f"{m} {r['delta_kib'] / 1024:6.1f} MiB"
            if "vmhwm_delta_kib" in r:
                cell += f" [{r['vmhwm_delta_kib'] / 1024:6.1f}]"
            cells.append(cell)
        base = memory[key]["rss"].get("baseline_maxrss_kib")
        note = f"   (baseline {base / 1024:.0f} MiB)" if base else ""
        print(f"    {labels[key]:<50} " + "   ".join(cells) + note)


# ----------------------------------------------------------------------------------
# Running rounds and printing tables
# ----------------------------------------------------------------------------------


def run_rounds(contenders: dict, repeats: int, args=()) -> dict:
    """Every round runs each contender once, in an order rotated per round."""
    names = list(contenders)
    times = {name: [] for name in names}
    cpu = {name: [] for name in names}
    last = {}
    for r in range(repeats):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            (wall, cpu_seconds), loss, state = contenders[name](*args)
            times[name].append(wall)
            cpu[name].append(cpu_seconds)
            last[name] = (loss, state)
        print(f"  round {r + 1}/{repeats}: " + ", ".join(f"{n} {times[n][-1]:.3f}s" for n in names),
              flush=True)
    return {"times": times, "cpu": cpu, "last": last}


def summary(seconds: list) -> dict:
    return {"median": statistics.median(seconds), "min": min(seconds), "max": max(seconds),
            "n": len(seconds), "all": seconds}


def ratio(times: dict, a: str, b: str, cpu: dict | None = None) -> dict | None:
    if a not in times or b not in times:
        return None
    per_round = [x / y for x, y in zip(times[a], times[b])]
    r = {"of_medians": statistics.median(times[a]) / statistics.median(times[b]),
         "round_min": min(per_round), "round_max": max(per_round)}
    if cpu is not None:
        r["cpu_of_medians"] = statistics.median(cpu[a]) / statistics.median(cpu[b])
    return r


def fmt_ratio(r: dict | None) -> str:
    if r is None:
        return f"{NOT_INSTALLED:>10}{'':>26}"
    cpu = f"{r['cpu_of_medians']:8.3f}" if "cpu_of_medians" in r else f"{'':>8}"
    return f"{r['of_medians']:10.3f}  [{r['round_min']:.3f}, {r['round_max']:.3f}]{cpu}"


def verdict(r: dict | None, target: float | None, less_than: bool = False) -> str:
    if r is None:
        return "n/a (torch not installed)"
    if target is None:
        return ""
    ok = r["of_medians"] < target if less_than else r["of_medians"] <= target
    return ("MET" if ok else "MISSED") + f" ({'<' if less_than else '<='} {target})"


def print_time_table(title: str, labels: dict, times: dict, cpu: dict, extra: dict) -> None:
    print()
    print(title)
    head = (f"  {'contender':<50}{'median s':>10}{'min s':>10}{'max s':>10}{'CPU med s':>11}"
            f"   {'final loss'}")
    print(head)
    print("  " + "-" * (len(head) - 2))
    for name, label in labels.items():
        if name not in times:
            print(f"  {label:<50}{NOT_INSTALLED:>14}")
            continue
        s = summary(times[name])
        c = statistics.median(cpu[name])
        print(f"  {label:<50}{s['median']:10.4f}{s['min']:10.4f}{s['max']:10.4f}{c:11.4f}"
              f"   {extra.get(name, '')}")


def environment(torch) -> dict:
    cpu = None
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        cpu = next((line.split(":", 1)[1].strip() for line in out.splitlines()
                    if line.startswith("Model name")), None)
    except OSError:
        pass
    blas = "unknown"
    try:
        config = np.show_config(mode="dicts")
        info = config["Build Dependencies"]["blas"]
        blas = f"{info.get('name')} {info.get('version')}"
        if info.get("openblas configuration"):
            blas += f" ({info['openblas configuration']})"
    except Exception:  # noqa: BLE001 (older NumPy has no mode="dicts")
        pass
    commit = None
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "scratchnet"],
                               capture_output=True, text=True)
        if head.returncode == 0:
            commit = head.stdout.strip() + (" (scratchnet/ modified)" if dirty.stdout.strip() else "")
    except OSError:
        pass
    env = {
        "commit": commit,
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numpy_blas": blas,
        "scratchnet": scratchnet.__version__,
        "torch": torch.__version__ if torch else NOT_INSTALLED,
        "threads_env": {v: os.environ[v] for v in THREAD_VARS},
        "torch_num_threads": torch.get_num_threads() if torch else None,
        "torch_num_interop_threads": torch.get_num_interop_threads() if torch else None,
        "loadavg_start": os.getloadavg(),
    }
    if torch:
        env["torch_blas"] = "MKL" if torch.backends.mkl.is_available() else "other"
    return env


def print_environment(env: dict) -> None:
    print(f"  CPU: {env['cpu']} ({env['cores']} logical CPUs)   Python {env['python']}   "
          f"NumPy {env['numpy']}   torch {env['torch']}   scratchnet {env['scratchnet']}")
    print(f"  NumPy BLAS: {env['numpy_blas']}")
    print(f"  scratchnet at commit {env['commit'] or 'unknown'}")
    threads = ", ".join(f"{k}={v}" for k, v in env["threads_env"].items())
    print(f"  threads pinned for every contender: {threads}")
    if env["torch_num_threads"] is not None:
        print(f"  torch.get_num_threads() = {env['torch_num_threads']}, "
              f"torch.get_num_interop_threads() = {env['torch_num_interop_threads']}, "
              f"torch BLAS: {env.get('torch_blas')}")
    print(f"  load average at start: {', '.join(f'{x:.2f}' for x in env['loadavg_start'])} "
          "(shared machine: times are medians over rounds)")
    print(f"  timed rounds: {ARGS.repeats} (benchmark 1), {ARGS.mlp_repeats} (benchmark 2)")


PAIRED_EPOCHS = 1000  # per contender per round of the paired measurement


def paired_xor_steps() -> dict:
    """Each contender as a step that trains its own network ``PAIRED_EPOCHS`` more epochs
    and returns the seconds it took: the chapter's classes with its loop body, word for
    word (its int ``X`` and ``y`` too), and scratchnet's ``fit``, ``train`` and a reader's
    loop, all from the chapter's initial weights."""
    import seed_chapter

    state = np.random.get_state()
    np.random.seed(42)
    chapter = seed_chapter.NeuralNetwork([2, 4, 1], [seed_chapter.ReLU(), seed_chapter.Sigmoid()])
    np.random.set_state(state)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    y = np.array([[0], [1], [1], [0]])
    fit_net, train_net, hand_net, optimizer = xor_network(), xor_network(), xor_network(), SGD(XOR_LR)

    def seed() -> float:
        start = time.perf_counter()
        chapter_loop(chapter, X, y, PAIRED_EPOCHS)
        return time.perf_counter() - start

    def fit_step() -> float:
        start = time.perf_counter()
        fit(fit_net, XOR_X, XOR_Y, BinaryCrossEntropy(), optimizer, epochs=PAIRED_EPOCHS)
        return time.perf_counter() - start

    def train_step() -> float:
        start = time.perf_counter()
        train(train_net, XOR_X, XOR_Y, epochs=PAIRED_EPOCHS, learning_rate=XOR_LR)
        return time.perf_counter() - start

    def hand() -> float:
        start = time.perf_counter()
        chapter_loop(hand_net, XOR_X, XOR_Y, PAIRED_EPOCHS)
        return time.perf_counter() - start

    return {"seed": seed, "fit": fit_step, "train": train_step, "hand": hand}


def paired_xor(rounds: int) -> dict:
    """Benchmark 1's ratios measured in pairs: every round runs each contender for
    ``PAIRED_EPOCHS`` epochs in turn (the order rotated per round), and a ratio is taken
    within each round, so a slow spell of the machine slows both sides of a ratio alike.
    Every ten rounds the networks start again from the chapter's weights, so the rounds
    cover the benchmark's own 10,000 epochs, a tenth at a time.
    Returns, per ratio, the median of the per-round ratios and a 95 % bootstrap interval
    of that median."""
    names = ["seed", "fit", "train", "hand"]
    seconds = {name: [] for name in names}
    with contextlib.redirect_stdout(io.StringIO()):  # the chapter loop's progress lines
        for r in range(rounds):
            if r % (XOR_EPOCHS // PAIRED_EPOCHS) == 0:
                steps = paired_xor_steps()  # the benchmark's run again: epochs 0 to 9,999
            for name in names[r % len(names):] + names[:r % len(names)]:
                seconds[name].append(steps[name]())
    rng = np.random.default_rng(0)
    result = {}
    for name in ("fit", "train", "hand"):
        per_round = np.array(seconds[name]) / np.array(seconds["seed"])
        medians = np.median(rng.choice(per_round, (2000, per_round.size)), axis=1)
        result[f"{name}/seed"] = {"median": float(np.median(per_round)),
                                  "low": float(np.percentile(medians, 2.5)),
                                  "high": float(np.percentile(medians, 97.5)),
                                  "all": per_round.tolist()}
    result["seed_ms_per_1000_epochs"] = 1e3 * statistics.median(seconds["seed"]) * 1000 / PAIRED_EPOCHS
    return result


def bench_xor(torch) -> dict:
    print(f"\nBenchmark 1: XOR 2-4-1, {XOR_EPOCHS:,} full-batch epochs, float64, lr {XOR_LR}")
    # same initial weights for everyone: the seed's classes after its np.random.seed(42)
    # draw what scratchnet draws from RandomState(42)
    import seed_chapter

    state = np.random.get_state()
    np.random.seed(42)
    seed_net = seed_chapter.NeuralNetwork([2, 4, 1], [seed_chapter.ReLU(), seed_chapter.Sigmoid()])
    np.random.set_state(state)
    init_equal = all(np.array_equal(a, b) for a, b in zip(
        [p for layer in seed_net.layers for p in (layer.weights, layer.bias)],
        xor_network().parameters()))
    contenders = {"seed": xor_seed, "fit": xor_fit, "train": xor_train, "hand": xor_hand}
    if torch:
        contenders["torch"] = make_xor_torch(torch)
        contenders["torch"](200)  # warm-up (lazy initialization)
    contenders["numpy"] = xor_numpy
    res = run_rounds(contenders, ARGS.repeats)
    times, cpu, last = res["times"], res["cpu"], res["last"]
    losses = {k: v[0] for k, v in last.items()}
    labels = {
        "seed": "(a) seed chapter code (verbatim)",
        "fit": "(b) scratchnet fit",
        "train": "(c) scratchnet train (chapter loop)",
        "torch": "(d) PyTorch CPU",
        "numpy": "(e) hand-written NumPy loop (reference)",
        "hand": "(f) chapter's loop over NeuralNetwork.forward/backward",
    }
    print_time_table(f"  Benchmark 1 results (seconds for {XOR_EPOCHS:,} epochs)", labels, times, cpu,
                     {k: f"{v:.16g}" for k, v in losses.items()})
    ratios = {
        "fit/seed": ratio(times, "fit", "seed", cpu),
        "train/seed": ratio(times, "train", "seed", cpu),
        "hand/seed": ratio(times, "hand", "seed", cpu),
        "fit/torch": ratio(times, "fit", "torch", cpu),
        "numpy/seed": ratio(times, "numpy", "seed", cpu),
        "fit/numpy": ratio(times, "fit", "numpy", cpu),
    }
    print(f"\n  {'ratio':<28}{'of medians':>10}  [per-round min, max]  CPU   target (on wall time)")
    print(f"  {'scratchnet fit / seed':<28}{fmt_ratio(ratios['fit/seed'])}   "
          f"{verdict(ratios['fit/seed'], 0.5)}")
    print(f"  {'scratchnet fit / torch':<28}{fmt_ratio(ratios['fit/torch'])}   "
          f"{verdict(ratios['fit/torch'], None)}")
    print(f"  {'scratchnet train / seed':<28}{fmt_ratio(ratios['train/seed'])}   "
          f"{verdict(ratios['train/seed'], 1.0)}")
    print(f"  {'forward/backward loop / seed':<28}{fmt_ratio(ratios['hand/seed'])}   "
          f"{verdict(ratios['hand/seed'], 0.9)}")
    print(f"  {'NumPy ref / seed':<28}{fmt_ratio(ratios['numpy/seed'])}   (what a minimal loop reaches)")
    print(f"  {'scratchnet fit / NumPy ref':<28}{fmt_ratio(ratios['fit/numpy'])}")
    rel = abs(losses["fit"] - losses["seed"]) / abs(losses["seed"])
    print(f"\n  initial weights identical (seed vs scratchnet RandomState(42)): {init_equal}")
    print(f"  final loss, seed {losses['seed']:.16g} vs scratchnet fit {losses['fit']:.16g}: "
          f"relative difference {rel:.2e} -> {'AGREE' if rel <= 1e-9 else 'DISAGREE'} (<= 1e-9)")
    rel_train = abs(losses["train"] - losses["seed"]) / abs(losses["seed"])
    print(f"  final loss, seed vs scratchnet train: relative difference {rel_train:.2e}")
    rel_torch = None
    if "torch" in losses:
        rel_torch = abs(losses["torch"] - losses["seed"]) / abs(losses["seed"])
        print(f"  final loss, seed vs PyTorch: relative difference {rel_torch:.2e}")
    rel_numpy = abs(losses["numpy"] - losses["seed"]) / abs(losses["seed"])
    print(f"  final loss, seed vs NumPy reference: relative difference {rel_numpy:.2e}")
    paired = None
    if ARGS.paired_rounds:
        print(f"\n  Paired: {ARGS.paired_rounds} rounds, each contender training "
              f"{PAIRED_EPOCHS:,} epochs per round in turn; ratio within each round", flush=True)
        paired = paired_xor(ARGS.paired_rounds)
        print(f"  {'ratio':<28}{'median':>10}  [95% bootstrap]   target")
        for key, label, target in (("fit/seed", "scratchnet fit / seed", 0.5),
                                   ("train/seed", "scratchnet train / seed", 1.0),
                                   ("hand/seed", "forward/backward loop / seed", 0.9)):
            r = paired[key]
            met = "MET" if r["high"] <= target else "MISSED" if r["low"] > target else "UNDECIDED"
            print(f"  {label:<28}{r['median']:10.3f}  [{r['low']:.3f}, {r['high']:.3f}]   "
                  f"{met} (<= {target})")
        print(f"  (the chapter's code: {paired['seed_ms_per_1000_epochs']:.1f} ms per 1,000 epochs)")
    return {"times": {k: summary(v) for k, v in times.items()},
            "cpu": {k: summary(v) for k, v in cpu.items()}, "losses": losses, "ratios": ratios,
            "init_equal": init_equal, "rel_fit_seed": rel, "rel_train_seed": rel_train,
            "rel_torch_seed": rel_torch, "rel_numpy_seed": rel_numpy, "paired": paired}


def max_rel_param_diff(a: list, b: list) -> float:
    return max(float(np.abs(x - y).max() / (np.abs(y).max() + 1e-30)) for x, y in zip(a, b))


def bench_mlp(torch, memory: dict) -> dict:
    print(f"\nBenchmark 2: MLP {MLP_D}-{MLP_H}-{MLP_K}, ReLU + softmax cross-entropy, float32, "
          f"batch {MLP_BATCH}, {MLP_EPOCHS} epoch over {MLP_N:,} synthetic samples, SGD lr {MLP_LR}")
    X, labels = mlp_data()
    contenders = {"fit": mlp_fit, "numpy": mlp_numpy}
    if torch:
        contenders["torch"] = make_mlp_torch(torch)
    for run in contenders.values():  # warm-up: BLAS/OpenMP thread pools, lazy init
        run(X, labels, 20 * MLP_BATCH)
    res = run_rounds(contenders, ARGS.mlp_repeats, (X, labels))
    times, cpu, last = res["times"], res["cpu"], res["last"]
    losses = {k: v[0] for k, v in last.items()}
    params = {k: v[1] for k, v in last.items()}
    labels_ = {
        "fit": "(a) scratchnet fit",
        "numpy": "(b) hand-written NumPy loop (bench/numpy_mlp.py)",
        "torch": "(c) PyTorch CPU",
    }
    print_time_table("  Benchmark 2 results (seconds for one epoch)", labels_, times, cpu,
                     {k: f"{v:.7g}" for k, v in losses.items()})
    ratios = {
        "fit/numpy": ratio(times, "fit", "numpy", cpu),
        "fit/torch": ratio(times, "fit", "torch", cpu),
        "numpy/torch": ratio(times, "numpy", "torch", cpu),
    }
    print(f"\n  {'ratio':<28}{'of medians':>10}  [per-round min, max]  CPU   target (on wall time)")
    print(f"  {'scratchnet / NumPy loop':<28}{fmt_ratio(ratios['fit/numpy'])}   "
          f"{verdict(ratios['fit/numpy'], 1.20)}")
    print(f"  {'scratchnet / torch':<28}{fmt_ratio(ratios['fit/torch'])}   "
          f"{verdict(ratios['fit/torch'], 1.0, less_than=True)}")
    print(f"  {'NumPy loop / torch':<28}{fmt_ratio(ratios['numpy/torch'])}")

    dtypes = sorted({str(p.dtype) for p in params["fit"]})
    print(f"\n  scratchnet weights dtype after fit: {', '.join(dtypes)} "
          f"-> {'float32 kept' if dtypes == ['float32'] else 'NOT float32'}")
    agree = {"numpy": max_rel_param_diff(params["numpy"], params["fit"])}
    if "torch" in params:
        agree["torch"] = max_rel_param_diff(params["torch"], params["fit"])
    for k, v in agree.items():
        print(f"  final parameters, {k} vs scratchnet: max |difference| / max |value| = {v:.2e}")

    if memory:
        print_memory(memory, labels_)
    return {"times": {k: summary(v) for k, v in times.items()},
            "cpu": {k: summary(v) for k, v in cpu.items()}, "losses": losses, "ratios": ratios,
            "fit_dtypes": dtypes, "param_agreement": agree, "memory": memory}


def main() -> None:
    if ARGS.child:
        memory_child(ARGS.child)
        return
    print("scratchnet benchmarks (bench/run.py)", flush=True)
    memory = {}
    if ARGS.only in (None, "mlp") and not ARGS.no_memory:
        # First, while this process is small: a child's ru_maxrss starts from its
        # parent's peak RSS at exec time (Linux records the old mm's high-water mark),
        # so the children must be started before torch is imported or data is made here.
        memory = measure_all_memory()
    torch = load_torch()
    env = environment(torch)
    print_environment(env)
    results = {"environment": env, "args": vars(ARGS)}
    if ARGS.only in (None, "xor"):
        results["xor"] = bench_xor(torch)
    if ARGS.only in (None, "mlp"):
        results["mlp"] = bench_mlp(torch, memory)
    results["loadavg_end"] = os.getloadavg()
    print(f"\n  load average at end: {', '.join(f'{x:.2f}' for x in results['loadavg_end'])}")
    if ARGS.json:
        Path(ARGS.json).write_text(json.dumps(results, indent=2, default=str))
        print(f"  results written to {ARGS.json}")


if __name__ == "__main__":
    main()
