#!/usr/bin/env python
"""Where scratchnet's time goes in the two benchmarks: cProfile and line timings.

    python bench/profile_scratchnet.py            # both benchmarks
    python bench/profile_scratchnet.py --only xor
    python bench/profile_scratchnet.py --only mlp

Benchmark 1 (XOR, 4 samples): every array holds a handful of numbers, so an epoch
costs what its Python statements and NumPy calls cost, one by one. Shown: cProfile
of ``fit`` (top functions by own time, per epoch), then each statement of ``fit``'s
epoch timed in isolation with ``timeit`` (the package's own functions, called as
``fit`` calls them), next to the chapter's epoch and the hand-written loop's, and the
fixed cost of a single NumPy call on arrays this small.

Benchmark 2 (MLP, batch 128): cProfile of one ``fit`` epoch, then line timings: a
``sys.settrace`` line timer over scratchnet's files and bench/numpy_mlp.py gives
the inclusive time of every source line, per batch, for ``fit`` and for the
hand-written loop side by side. Tracing adds about a microsecond per line executed;
the untraced epoch time is printed next to the traced one.

Threads are pinned as in run.py (``--threads``, default 1).
"""

from __future__ import annotations

import argparse
import os
import sys

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--only", choices=("xor", "mlp"), default=None)
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--top", type=int, default=14, help="rows of cProfile output")
ARGS = parser.parse_args()
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = str(ARGS.threads)

import cProfile  # noqa: E402
import linecache  # noqa: E402
import pstats  # noqa: E402
import time  # noqa: E402
import timeit  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "tests"))

import numpy_mlp  # noqa: E402
import numpy_xor  # noqa: E402
import scratchnet  # noqa: E402
from scratchnet import (  # noqa: E402
    SGD, BinaryCrossEntropy, Identity, NeuralNetwork, ReLU, Sigmoid, SoftmaxCrossEntropy, fit,
)
from scratchnet.fitting import backpropagate, forward, train_step  # noqa: E402
from scratchnet.metrics import correct_answers  # noqa: E402

PACKAGE = Path(scratchnet.__file__).resolve().parent


def short(filename: str) -> str:
    path = Path(filename)
    for base in (ROOT,):
        try:
            return str(path.resolve().relative_to(base))
        except ValueError:
            pass
    parts = path.parts
    return "/".join(parts[-2:]) if len(parts) > 1 else filename


def paired(stmt_a: str, stmt_b: str, number: int, rounds: int = 15, **namespace) -> tuple:
    """Best microseconds per call of two statements, timed alternately (shared-machine noise)."""
    setup = "; ".join(f"{name} = __ns[{name!r}]" for name in namespace) or "pass"
    g = {"__ns": namespace, **namespace}
    timers = [timeit.Timer(stmt, setup=setup, globals=g) if stmt != "pass" else None
              for stmt in (stmt_a, stmt_b)]
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for i, timer in enumerate(timers):
            if timer is not None:
                best[i] = min(best[i], timer.timeit(number) / number * 1e6)
    return tuple(0.0 if t is None else b for t, b in zip(timers, best))


def print_cprofile(profile: cProfile.Profile, per: int, unit: str, top: int) -> None:
    stats = pstats.Stats(profile)
    rows = []
    total = 0.0
    for (filename, line, name), (cc, nc, tt, ct, _) in stats.stats.items():
        rows.append((tt, ct, nc, f"{short(filename)}:{line}({name})" if line else name))
        total += tt
    rows.sort(reverse=True)
    print(f"    {'own us/' + unit:>12} {'incl us/' + unit:>13} {'calls/' + unit:>11}  function")
    for tt, ct, nc, where in rows[:top]:
        print(f"    {tt / per * 1e6:12.1f} {ct / per * 1e6:13.1f} {nc / per:11.1f}  {where}")
    print(f"    {total / per * 1e6:12.1f}  total own time per {unit} (profiled; cProfile adds "
          "overhead to every Python call)")


def us(stmt, number: int, repeat: int = 7, **namespace) -> float:
    """Best-of-``repeat`` microseconds per call of ``stmt``.

    The names are bound as locals in the setup, so that in-place statements such as
    ``z1 += b1`` work (they update the same arrays).
    """
    setup = "; ".join(f"{name} = __ns[{name!r}]" for name in namespace) or "pass"
    timer = timeit.Timer(stmt, setup=setup, globals={"__ns": namespace, **namespace})
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e6


# ----------------------------------------------------------------------------------


def profile_xor() -> None:
    from seed_chapter import NeuralNetwork as SeedNetwork
    from seed_chapter import ReLU as SeedReLU
    from seed_chapter import Sigmoid as SeedSigmoid

    epochs = 10_000
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array([[0], [1], [1], [0]], dtype=np.float64)

    def network():
        return NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(42))

    print("=" * 100)
    print(f"Benchmark 1: XOR 2-4-1, fit, {epochs:,} full-batch epochs")
    print("=" * 100)
    net = network()
    start = time.perf_counter()
    fit(net, X, y, BinaryCrossEntropy(), SGD(0.1), epochs=epochs)
    plain = time.perf_counter() - start
    print(f"  untimed-profile run: {plain:.3f} s = {plain / epochs * 1e6:.1f} us per epoch\n")

    net = network()
    profile = cProfile.Profile()
    profile.enable()
    fit(net, X, y, BinaryCrossEntropy(), SGD(0.1), epochs=epochs)
    profile.disable()
    print("  cProfile of fit, per epoch (top functions by own time):")
    print_cprofile(profile, epochs, "epoch", ARGS.top)

    # Each phase of fit's epoch in isolation: train_step and the functions it calls.
    net = network()
    optimizer, loss = SGD(0.1), BinaryCrossEntropy()
    output = forward(net.layers, X)
    _, delta = loss.delta(net.layers[-1], y)
    gradients = [0.0 * g for g in backpropagate(net.layers, delta)]  # updates that change nothing
    ns = dict(net=net, layers=net.layers, X=X, y=y, loss=loss, optimizer=optimizer, delta=delta,
              gradients=gradients, output=output, train_step=train_step, forward=forward,
              backpropagate=backpropagate, correct_answers=correct_answers,
              history=[], time=time, np=np, math=__import__("math"))
    n = 20_000
    rows = [
        ("train_step(...)  [forward, loss, backward, update]", "train_step(net, loss, optimizer, X, y)"),
        ("  forward(layers, X)  [2 layers]", "forward(layers, X)"),
        ("  loss.delta(layers[-1], y)  [BCE on logits]", "loss.delta(layers[-1], y)"),
        ("  backpropagate(layers, delta)", "backpropagate(layers, delta)"),
        ("  optimizer.update(...)  [4 arrays]", "optimizer.update(net.parameters(), gradients)"),
        ("  correct_answers(output, y)", "correct_answers(output, y)"),
        ("bookkeeping: loss sum, isfinite, history, clock",
         "t = 0.4 * 4; math.isfinite(t); history.append(t / 4); history.append(1.0); "
         "history.append(time.perf_counter())"),
    ]
    print("\n  fit's epoch, phase by phase (timeit, best of 7, us per call):")
    total = 0.0
    for label, stmt in rows:
        t = us(stmt, n, **ns)
        if not label.startswith(" "):
            total += t
        print(f"    {t:8.2f}  {label}")
    print(f"    {total:8.2f}  sum of the top-level statements (measured epoch: "
          f"{plain / epochs * 1e6:.1f} us)")

    # The chapter's epoch, the same way.
    np.random.seed(42)
    seed_net = SeedNetwork([2, 4, 1], [SeedReLU(), SeedSigmoid()])
    seed_out = seed_net.forward(X)
    seed_grad = -(y / (seed_out + 1e-15) - (1 - y) / (1 - seed_out + 1e-15)) / len(X)
    sns = dict(seed_net=seed_net, X=X, y=y, output=seed_out, grad_output=seed_grad, np=np,
               zero_grad=np.zeros_like(seed_grad))  # backward costs the same; weights stay put
    seed_rows = [
        ("network.forward(X)", "seed_net.forward(X)"),
        ("loss = -np.mean(y*log(out+1e-15) + ...)",
         "-np.mean(y * np.log(output + 1e-15) + (1 - y) * np.log(1 - output + 1e-15))"),
        ("grad_output = -(y/(out+1e-15) - ...)/len(X)",
         "-(y / (output + 1e-15) - (1 - y) / (1 - output + 1e-15)) / len(X)"),
        ("network.backward(grad_output, 0.1)  [gradients + update]",
         "seed_net.backward(zero_grad, 0.1)"),
    ]
    print("\n  the chapter's epoch (seed_chapter.py), statement by statement:")
    total = 0.0
    for label, stmt in seed_rows:
        t = us(stmt, n, **sns)
        total += t
        print(f"    {t:8.2f}  {label}")
    print(f"    {total:8.2f}  sum (plus losses.append and the epoch % 1000 test)")

    params = [p.copy() for p in network().parameters()]
    start = time.perf_counter()
    numpy_xor.train_numpy_xor(X, y, *params, 0.1, epochs)
    floor = time.perf_counter() - start
    print(f"\n  hand-written NumPy loop (bench/numpy_xor.py): {floor / epochs * 1e6:.1f} us per epoch "
          "(28 NumPy operations per epoch)")

    a = np.ones((4, 4))
    b = np.ones((4, 4))
    small = dict(a=a, b=b, c=np.zeros((4, 4)), np=np)
    print("\n  fixed cost of one NumPy call on a (4, 4) float64 array (us):")
    for label, stmt in [
        ("a @ b", "a @ b"),
        ("a + b", "a + b"),
        ("np.add(c, b, out=c) (in place)", "np.add(c, b, out=c)"),
        ("np.maximum(a, 0)", "np.maximum(a, 0)"),
        ("np.exp(a)", "np.exp(a)"),
        ("a.sum(axis=0, keepdims=True)", "a.sum(axis=0, keepdims=True)"),
        ("np.add.reduce(a, axis=0)", "np.add.reduce(a, axis=0)"),
        ("(a > 0).astype(a.dtype)", "(a > 0).astype(a.dtype)"),
        ("float(a.sum())", "float(a.sum())"),
        ("a Python call of an empty function", "f()"),
    ]:
        if stmt == "f()":
            small["f"] = lambda: None
        print(f"    {us(stmt, 100_000, **small):8.3f}  {label}")


# ----------------------------------------------------------------------------------


class LineTimer:
    """Inclusive wall time of every source line executed in the chosen files."""

    def __init__(self, files) -> None:
        self.files = {str(Path(f).resolve()) for f in files}
        self.time = defaultdict(float)
        self.hits = defaultdict(int)
        self.open = {}
        self._clock = time.perf_counter

    def _global(self, frame, event, arg):
        if frame.f_code.co_filename in self.files:
            return self._local
        return None

    def _local(self, frame, event, arg):
        now = self._clock()
        key = id(frame)
        previous = self.open.get(key)
        if previous is not None:
            where, started = previous
            self.time[where] += now - started
            self.hits[where] += 1
        if event == "line":
            self.open[key] = ((frame.f_code.co_filename, frame.f_lineno), self._clock())
        elif event == "return":
            self.open.pop(key, None)
        return self._local

    def __enter__(self):
        sys.settrace(self._global)
        return self

    def __exit__(self, *exc):
        sys.settrace(None)


def print_lines(timer: LineTimer, files, per: int, total: float, threshold: float = 0.004) -> None:
    for f in files:
        f = str(Path(f).resolve())
        entries = sorted((line, t) for (name, line), t in timer.time.items() if name == f)
        shown = [(line, t) for line, t in entries if t >= threshold * total]
        if not shown:
            continue
        print(f"    {short(f)}")
        for line, t in shown:
            src = linecache.getline(f, line).strip()
            hits = timer.hits[(f, line)] / per
            print(f"      {line:4d} {t / per * 1e6:9.1f} us {hits:6.2f}x  {src[:88]}")


def profile_mlp() -> None:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60_000, 784), dtype=np.float32)
    labels = rng.integers(0, 10, 60_000)
    batches = -(-60_000 // 128)

    def network():
        return NeuralNetwork([784, 256, 10], [ReLU(), Identity()], init="he", dtype=np.float32, rng=0)

    def run_fit():
        net = network()
        start = time.perf_counter()
        fit(net, X, labels, SoftmaxCrossEntropy(), SGD(0.01), epochs=1, batch_size=128, rng=1)
        return time.perf_counter() - start

    def run_numpy():
        params = [p.copy() for p in network().parameters()]
        start = time.perf_counter()
        numpy_mlp.train_numpy_mlp(X, labels, *params, 0.01, 128, 1, np.random.default_rng(1))
        return time.perf_counter() - start

    print("=" * 100)
    print(f"Benchmark 2: MLP 784-256-10, fit, one epoch of {batches} batches of 128, float32")
    print("=" * 100)
    run_fit(), run_numpy()  # warm-up
    plain_fit = [run_fit() for _ in range(3)]
    plain_np = [run_numpy() for _ in range(3)]
    import resource

    def faults(run):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        run()
        return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / batches

    print(f"  minor page faults per batch (ru_minflt): fit {faults(run_fit):.0f}, "
          f"hand-written loop {faults(run_numpy):.0f}  (so fresh temporaries are recycled by the "
          "allocator, not page-faulted in)")
    print(f"  untraced epoch (best of 3): fit {min(plain_fit):.3f} s = "
          f"{min(plain_fit) / batches * 1e6:.0f} us/batch; hand-written loop {min(plain_np):.3f} s = "
          f"{min(plain_np) / batches * 1e6:.0f} us/batch; ratio {min(plain_fit) / min(plain_np):.3f}\n")

    profile = cProfile.Profile()
    net = network()
    profile.enable()
    fit(net, X, labels, SoftmaxCrossEntropy(), SGD(0.01), epochs=1, batch_size=128, rng=1)
    profile.disable()
    print("  cProfile of fit, per batch (matrix products show as their Python caller's own time):")
    print_cprofile(profile, batches, "batch", ARGS.top)

    files = sorted(str(p) for p in PACKAGE.glob("*.py"))
    with LineTimer(files) as timer:
        start = time.perf_counter()
        net = network()
        fit(net, X, labels, SoftmaxCrossEntropy(), SGD(0.01), epochs=1, batch_size=128, rng=1)
        traced = time.perf_counter() - start
    print(f"\n  line timings of fit (inclusive us per batch, calls per batch; traced epoch "
          f"{traced:.3f} s; lines under 0.4% hidden):")
    print_lines(timer, files, batches, traced)

    with LineTimer([numpy_mlp.__file__]) as timer:
        start = time.perf_counter()
        params = [p.copy() for p in network().parameters()]
        numpy_mlp.train_numpy_mlp(X, labels, *params, 0.01, 128, 1, np.random.default_rng(1))
        traced = time.perf_counter() - start
    print(f"\n  line timings of the hand-written loop (traced epoch {traced:.3f} s):")
    print_lines(timer, [numpy_mlp.__file__], batches, traced)

    # The costs fit pays once per call, outside the batch loop.
    net = network()
    ns = dict(net=net, X=X, labels=labels, np=np, SoftmaxCrossEntropy=SoftmaxCrossEntropy)
    from scratchnet.training import check_data

    ns["check_data"] = check_data
    print("\n  once per fit call (us):")
    check = "check_data(net, X, labels, SoftmaxCrossEntropy())"
    print(f"    {us(check, 3, 3, **ns):10.0f}"
          "  check_data (one sum over 47 M floats checks they are finite)")
    print(f"    {us('np.random.default_rng(1).permutation(60000)', 20, 3, **ns):10.0f}  rng.permutation(60000)")

    # The elementwise work fit does per batch that the hand-written loop avoids.
    z = np.maximum(rng.standard_normal((128, 256), dtype=np.float32), 0)
    g = rng.standard_normal((128, 256), dtype=np.float32)
    W = rng.standard_normal((784, 256), dtype=np.float32)
    dW = rng.standard_normal((784, 256), dtype=np.float32)
    xb = rng.standard_normal((128, 784), dtype=np.float32)
    out = np.empty((128, 256), np.float32)
    mask = np.empty((128, 256), bool)
    idx = np.random.default_rng(1).permutation(60_000)[:128]
    ns = dict(np=np, z=z, g=g, W=W, dW=dW, xb=xb, out=out, mask=mask, X=X, idx=idx, lr=0.01,
              xbuf=np.empty((128, 784), np.float32))
    print("\n  single operations at the benchmark's shapes (us per call, best of 7):")
    for label, stmt in [
        ("GEMM forward  xb @ W1            (128x784 @ 784x256)", "xb @ W"),
        ("GEMM weights  xb.T @ dz1         (784x128 @ 128x256)", "xb.T @ g"),
        ("GEMM weights, out= preallocated", "np.matmul(xb.T, g, out=dW)"),
        ("gather X[idx]  (fancy indexing, new array)", "X[idx]"),
        ("gather np.take(X, idx, axis=0, out=buf)  (mode='raise')", "np.take(X, idx, axis=0, out=xbuf)"),
        ("gather np.take(X, idx, axis=0, out=buf, mode='clip')", "np.take(X, idx, axis=0, out=xbuf, mode='clip')"),
        ("SGD  W -= lr * dW   (temporary + in-place pass)", "np.subtract(W, lr * dW, out=W)"),
        ("SGD  W -= dW        (one in-place pass)", "np.subtract(W, dW, out=W)"),
        ("ReLU' (z > 0).astype(float32), then * g  (the plain path)", "g * (z > 0).astype(z.dtype)"),
        ("ReLU' np.greater(z,0,out=mask); np.multiply(g,mask,out=g)  (fit)",
         "np.greater(z, 0, out=mask); np.multiply(g, mask, out=out)"),
        ("z + b (new array) / np.maximum(z, 0) (new array)", "z + g; np.maximum(z, 0)"),
    ]:
        print(f"    {us(stmt, 200, **ns):8.1f}  {label}")

    phase_table(X, labels, network)


def phase_table(X, labels, network) -> None:
    """One batch, phase by phase: fit's functions vs the hand-written loop's statements.

    Every phase is timed in isolation (timeit, best of 7 runs of 300) on the same
    first batch, so both columns see the same (cached) data; the gather phase cycles
    through the epoch's real batches so that it reads X from memory as training does.
    """
    order = np.random.default_rng(1).permutation(60_000)
    batches = [order[i:i + 128] for i in range(0, 60_000 - 127, 128)]
    cycle = iter(())

    def next_rows():
        nonlocal cycle
        try:
            return next(cycle)
        except StopIteration:
            cycle = iter(batches)
            return next(cycle)

    net = network()
    loss = SoftmaxCrossEntropy()
    optimizer = SGD(0.01)
    parameters = net.parameters()
    rows = batches[0]
    xb, yb = X[rows], labels[rows]
    forward(net.layers, xb)
    _, mlp_delta = loss.delta(net.layers[-1], yb)
    zero_gradients = [0.0 * g for g in backpropagate(net.layers, mlp_delta)]
    hand_setup = ("import numpy as np\nnp.matmul(xb, W1, out=z1); z1 += b1; "
                  "np.greater(z1, 0.0, out=mask); np.multiply(z1, mask, out=z1); "
                  "np.matmul(z1, W2, out=z2); z2 += b2; z2_saved[...] = z2")
    W1, b1, W2, b2 = [p.copy() for p in parameters]
    ns = dict(
        np=np, X=X, labels=labels, next_rows=next_rows, net=net, loss=loss, optimizer=optimizer,
        parameters=parameters, xb=xb, yb=yb, forward=forward, backpropagate=backpropagate,
        mlp_delta=mlp_delta, zero_gradients=zero_gradients, correct_answers=correct_answers,
        W1=W1, b1=b1, W2=W2, b2=b2,
        xbuf=np.empty((128, 784), np.float32), ybuf=np.empty(128, labels.dtype),
        z1=np.empty((128, 256), np.float32), mask=np.empty((128, 256), bool),
        z2=np.empty((128, 10), np.float32), rowmax=np.empty((128, 1), np.float32),
        rowsum=np.empty((128, 1), np.float32), da1=np.empty((128, 256), np.float32),
        dW1=np.empty_like(W1), dW2=np.empty_like(W2), db1=np.empty_like(b1), db2=np.empty_like(b2),
        r=np.arange(128), loss_sum=np.zeros(()), lr=0.01, m=128,
    )
    ns["z2_saved"] = ns["z2"].copy()
    exec(hand_setup, dict(ns))  # z1, mask, z2 as the forward pass leaves them (same arrays)
    # the hand-written loop's statements, copied from bench/numpy_mlp.py
    hand_forward = ("np.matmul(xb, W1, out=z1); z1 += b1; np.greater(z1, 0.0, out=mask); "
                    "np.multiply(z1, mask, out=z1); np.matmul(z1, W2, out=z2); z2 += b2")
    hand_loss = ("np.copyto(z2, z2_saved); "  # refresh z2: the loss overwrites it
                 "np.maximum.reduce(z2, axis=1, keepdims=True, out=rowmax); z2 -= rowmax; picked = z2[r, yb]; "
                 "np.exp(z2, out=z2); np.add.reduce(z2, axis=1, keepdims=True, out=rowsum); "
                 "loss_sum += np.log(rowsum).sum() - picked.sum(); z2 /= rowsum; "
                 "z2[r, yb] -= 1.0; z2 *= lr / m")
    hand_backward = ("np.matmul(z1.T, z2, out=dW2); np.add.reduce(z2, axis=0, keepdims=True, out=db2); "
                     "np.matmul(z2, W2.T, out=da1); np.multiply(da1, mask, out=da1); "
                     "np.matmul(xb.T, da1, out=dW1); np.add.reduce(da1, axis=0, keepdims=True, out=db1)")
    hand_sgd = "W1 -= dW1; b1 -= db1; W2 -= dW2; b2 -= db2"
    phases = [
        ("gather the batch",
         "rows = next_rows(); X[rows]; labels[rows]",
         "rows = next_rows(); np.take(X, rows, axis=0, out=xbuf, mode='clip'); "
         "np.take(labels, rows, out=ybuf, mode='clip')"),
        ("forward (2 layers)", "forward(net.layers, xb)", hand_forward),
        ("softmax cross-entropy value + dL/dz",
         "loss.delta(net.layers[-1], yb)", hand_loss),
        ("backward (weights, biases; no dL/dx)", "backpropagate(net.layers, mlp_delta)", hand_backward),
        ("SGD update", "optimizer.update(parameters, zero_gradients)", hand_sgd),
        ("accuracy count", "correct_answers(net.layers[-1].output, yb)", "pass"),
        ("bookkeeping (loss/accuracy sums, loop)",
         "t = 2.3 * 128; t += 3; yb[0]", "pass"),
    ]
    print("\n  one batch, phase by phase (timeit, best of 15 alternating runs of 100, us): fit's own "
          "functions vs the hand-written loop's statements")
    print(f"    {'phase':<40}{'fit':>9}{'by hand':>9}{'extra':>9}")
    totals = [0.0, 0.0]
    for label, ours, theirs in phases:
        a, b = paired(ours, theirs, 100, **ns)
        if label.startswith("softmax"):
            b -= us("np.copyto(z2, z2_saved)", 1000, **ns)  # the refresh is not the loss's
        totals[0] += a
        totals[1] += b
        print(f"    {label:<40}{a:9.1f}{b:9.1f}{a - b:9.1f}")
    print(f"    {'sum':<40}{totals[0]:9.1f}{totals[1]:9.1f}{totals[0] - totals[1]:9.1f}"
          f"   -> {totals[0] / totals[1]:.3f}x")
    check = us("from scratchnet.training import check_data; "
               "check_data(net, X, labels, loss)", 2, 3, **ns)
    print(f"    plus once per fit call: check_data {check / 1e3:.1f} ms "
          f"= {check / 469:.1f} us per batch of a one-epoch fit")


if __name__ == "__main__":
    print(f"threads: {ARGS.threads} (OMP/OPENBLAS/MKL_NUM_THREADS); NumPy {np.__version__}; "
          f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if ARGS.only in (None, "xor"):
        profile_xor()
    if ARGS.only in (None, "mlp"):
        profile_mlp()
