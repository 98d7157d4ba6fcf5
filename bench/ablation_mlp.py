#!/usr/bin/env python
"""Benchmark 2's gap, step by step: from the hand-written loop to scratchnet's way.

    python bench/ablation_mlp.py [--rounds 15] [--threads 1]

A ladder of training loops for the 784-256-10 MLP, one epoch each, all doing the same
arithmetic from the same initial weights in the same order. Rung 0 is
bench/numpy_mlp.py's loop; every rung adopts one more thing that ``scratchnet.fit``
does differently (see its source: fitting.py, network.py, layer.py, losses.py,
activations.py, optimizers.py), until the last rung does everything fit does, written
inline; then ``fit`` itself. The rungs are timed in rounds, in an order rotated per
round, and the table shows each rung's median and what that step added. The steps
are cumulative, so each one is measured on top of all the earlier ones.

This attributes the gap in place (real data flow, real caches), which timing the
pieces one by one in isolation (bench/profile_scratchnet.py) cannot.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--rounds", type=int, default=15)
parser.add_argument("--threads", type=int, default=1)
ARGS = parser.parse_args()
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = str(ARGS.threads)

import gc  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from numpy_mlp import train_numpy_mlp  # noqa: E402
from scratchnet import SGD, Identity, NeuralNetwork, ReLU, SoftmaxCrossEntropy, fit  # noqa: E402
from scratchnet.fitting import count_correct  # noqa: E402

STEPS = (
    "check",      # 1: np.isfinite(X).all() once, as check_fit_data does
    "gather",     # 2: X[rows], y[rows] (new arrays) instead of np.take(..., out=)
    "forward",    # 3: z = x @ W + b and np.maximum(z, 0), new arrays (no out=)
    "loss",       # 4: scratchnet's SoftmaxCrossEntropy.value_and_gradient (log_softmax, exp)
    "backward",   # 5: new arrays: x.T @ g, g.sum(axis=0, keepdims=True), g @ W.T,
                  #    relu' as (z > 0).astype(dtype) times the gradient
    "sgd",        # 6: W -= lr * grad for each parameter (lr not folded into dL/dz)
    "accuracy",   # 7: count_correct every batch
)


PHASES = ("check", "gather", "forward", "loss", "backward", "sgd", "accuracy", "loop")


def ladder_loop(X, labels, W1, b1, W2, b2, lr, batch_size, rng, use, phases=None):
    """One epoch; ``use`` is the set of STEPS done scratchnet's way.

    ``phases``, a dict, receives the seconds spent in each phase of the loop, clocked
    in place with ``time.perf_counter`` (about 0.1 us per reading, 8 per batch).
    """
    clock = time.perf_counter
    spent = dict.fromkeys(PHASES, 0.0)
    t0 = clock()
    if "check" in use and not np.isfinite(X).all():
        raise ValueError("X must be finite")
    t1 = clock()
    spent["check"] += t1 - t0
    n, d = X.shape
    h, k = W1.shape[1], W2.shape[1]
    f32 = X.dtype
    xb_buf = np.empty((batch_size, d), f32)
    yb_buf = np.empty(batch_size, labels.dtype)
    z1_buf = np.empty((batch_size, h), f32)
    mask_buf = np.empty((batch_size, h), bool)
    z2_buf = np.empty((batch_size, k), f32)
    rowmax_buf = np.empty((batch_size, 1), f32)
    rowsum_buf = np.empty((batch_size, 1), f32)
    da1_buf = np.empty((batch_size, h), f32)
    dW1, dW2, db1, db2 = (np.empty_like(p) for p in (W1, W2, b1, b2))
    rows_all = np.arange(batch_size)
    loss_fn = SoftmaxCrossEntropy()
    order = rng.permutation(n)
    total_loss = total_correct = 0.0
    fold = "sgd" not in use  # fold lr into dL/dz2, as the hand-written loop does
    t_loop = clock()
    for begin in range(0, n, batch_size):
        t0 = clock()
        idx = order[begin:begin + batch_size]
        m = idx.shape[0]
        if "gather" in use:
            xb, yb = X[idx], labels[idx]
        else:
            xb, yb = xb_buf[:m], yb_buf[:m]
            np.take(X, idx, axis=0, out=xb, mode="clip")
            np.take(labels, idx, out=yb, mode="clip")
        t1 = clock()
        spent["gather"] += t1 - t0
        # forward
        if "forward" in use:
            z1 = xb @ W1 + b1
            a1 = np.maximum(z1, 0)
            z2 = a1 @ W2 + b2
            mask = None
        else:
            z1, mask, z2 = z1_buf[:m], mask_buf[:m], z2_buf[:m]
            np.matmul(xb, W1, out=z1)
            z1 += b1
            np.greater(z1, 0.0, out=mask)
            np.multiply(z1, mask, out=z1)
            a1 = z1
            np.matmul(a1, W2, out=z2)
            z2 += b2
        t2 = clock()
        spent["forward"] += t2 - t1
        # loss and dL/dz2
        if "loss" in use:
            value, g2 = loss_fn.value_and_gradient(z2, yb)
            if fold:
                g2 *= lr
            total_loss += value * m
        else:
            scores = z2
            rowmax, rowsum, rows = rowmax_buf[:m], rowsum_buf[:m], rows_all[:m]
            np.maximum.reduce(scores, axis=1, keepdims=True, out=rowmax)
            scores -= rowmax
            picked = scores[rows, yb]
            np.exp(scores, out=scores)
            np.add.reduce(scores, axis=1, keepdims=True, out=rowsum)
            total_loss += float(np.log(rowsum).sum() - picked.sum())
            scores /= rowsum
            scores[rows, yb] -= 1.0
            scores *= (lr / m) if fold else (1.0 / m)
            g2 = scores
        t3 = clock()
        spent["loss"] += t3 - t2
        # backward
        if "backward" in use:
            gW2 = a1.T @ g2
            gb2 = g2.sum(axis=0, keepdims=True)
            da1 = g2 @ W2.T
            g1 = da1 * (z1 > 0).astype(z1.dtype)
            gW1 = xb.T @ g1
            gb1 = g1.sum(axis=0, keepdims=True)
        else:
            da1 = da1_buf[:m]
            np.matmul(a1.T, g2, out=dW2)
            np.add.reduce(g2, axis=0, keepdims=True, out=db2)
            np.matmul(g2, W2.T, out=da1)
            np.multiply(da1, mask if mask is not None else (z1 > 0), out=da1)
            np.matmul(xb.T, da1, out=dW1)
            np.add.reduce(da1, axis=0, keepdims=True, out=db1)
            gW1, gb1, gW2, gb2 = dW1, db1, dW2, db2
        t4 = clock()
        spent["backward"] += t4 - t3
        # SGD
        if fold:
            W1 -= gW1
            b1 -= gb1
            W2 -= gW2
            b2 -= gb2
        else:
            for p, g in ((W1, gW1), (b1, gb1), (W2, gW2), (b2, gb2)):
                p -= lr * g
        t5 = clock()
        spent["sgd"] += t5 - t4
        if "accuracy" in use:
            total_correct += count_correct(z2, yb)
        spent["accuracy"] += clock() - t5
    total = clock() - t_loop
    spent["loop"] = total - sum(spent[k] for k in PHASES[1:-1])  # the rest: loop, permutation
    if phases is not None:
        for k, v in spent.items():
            phases.setdefault(k, []).append(v)
    return total_loss / n


def main() -> None:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60_000, 784), dtype=np.float32)
    labels = rng.integers(0, 10, 60_000)

    def network():
        return NeuralNetwork([784, 256, 10], [ReLU(), Identity()], init="he", dtype=np.float32, rng=0)

    phases = {k: {} for k in range(len(STEPS) + 1)}

    def rung(k):
        def run(record=True):
            params = [p.copy() for p in network().parameters()]
            gc.collect()
            start = time.perf_counter()
            ladder_loop(X, labels, *params, 0.01, 128, np.random.default_rng(1), set(STEPS[:k]),
                        phases[k] if record else None)
            return time.perf_counter() - start, params
        return run

    def run_fit():
        net = network()
        gc.collect()
        start = time.perf_counter()
        fit(net, X, labels, SoftmaxCrossEntropy(), SGD(0.01), epochs=1, batch_size=128, rng=1)
        return time.perf_counter() - start, net.parameters()

    def run_hand():
        params = [p.copy() for p in network().parameters()]
        gc.collect()
        start = time.perf_counter()
        train_numpy_mlp(X, labels, *params, 0.01, 128, 1, np.random.default_rng(1))
        return time.perf_counter() - start, params

    names = ["bench/numpy_mlp.py"] + ["rung 0 (inline copy of it)"] + \
        [f"rung {k}: + {STEPS[k - 1]}" for k in range(1, len(STEPS) + 1)] + ["scratchnet fit"]
    runs = [run_hand] + [rung(k) for k in range(len(STEPS) + 1)] + [run_fit]
    reference = run_fit()[1]  # warm-up, and every loop must end with fit's weights
    for name, r in zip(names, runs):
        params = r(record=False)[1] if name.startswith("rung") else r()[1]
        diff = max(float(np.abs(a - b).max() / np.abs(b).max()) for a, b in zip(params, reference))
        if diff > 1e-5:
            print(f"warning: {name} ends {diff:.1e} (relative) away from fit's weights")
    times = {name: [] for name in names}
    for i in range(ARGS.rounds):
        shift = i % len(runs)
        for name, r in list(zip(names, runs))[shift:] + list(zip(names, runs))[:shift]:
            times[name].append(r()[0])
        print(f"  round {i + 1}/{ARGS.rounds} done", flush=True)
    print(f"\nthreads {ARGS.threads}; {ARGS.rounds} rounds; load average "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("  'step' = what this rung added to the previous one, in % of rung 0 (by median; by min)")
    print(f"  {'loop':<34}{'median s':>9}{'min s':>8}{'x rung 0':>9}{'step med':>10}{'step min':>10}")
    base_med = statistics.median(times[names[1]])
    base_min = min(times[names[1]])
    prev_med, prev_min = base_med, base_min
    for name in names:
        med, low = statistics.median(times[name]), min(times[name])
        if name in (names[0], names[1]):
            steps = f"{'':>10}{'':>10}"
        else:
            steps = f"{(med - prev_med) / base_med * 100:+9.1f}%{(low - prev_min) / base_min * 100:+9.1f}%"
        print(f"  {name:<34}{med:9.3f}{low:8.3f}{med / base_med:9.3f}{steps}")
        if name.startswith("rung") or name == names[-1]:
            prev_med, prev_min = med, low

    batches = -(-60_000 // 128)
    print("\n  the same runs, clocked phase by phase in place: us per batch (median over rounds;")
    print("  'check' is the one-off np.isfinite(X).all() spread over the epoch's batches)")
    print(f"  {'phase':<10}" + "".join(f"{'rung ' + str(k):>9}" for k in phases) + f"{'7 - 0':>9}")
    column_totals = [0.0] * len(phases)
    for phase in PHASES:
        cells = []
        for k in phases:
            value = statistics.median(phases[k][phase]) / batches * 1e6
            column_totals[k] += value
            cells.append(value)
        print(f"  {phase:<10}" + "".join(f"{c:9.1f}" for c in cells) + f"{cells[-1] - cells[0]:+9.1f}")
    print(f"  {'sum':<10}" + "".join(f"{c:9.1f}" for c in column_totals)
          + f"{column_totals[-1] - column_totals[0]:+9.1f}")


if __name__ == "__main__":
    main()
