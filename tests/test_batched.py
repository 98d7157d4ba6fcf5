"""NetworkBatch and train_batch: many runs at once, each equal to its one-network run.

The central claim of :mod:`scratchnet.batched`: run ``r`` of
``NetworkBatch(sizes, acts, rngs=[RandomState(s), ...], init)`` starts from the
weights ``NeuralNetwork(sizes, acts, rng=RandomState(s), init)`` draws and, trained
with :func:`train_batch`, follows exactly (bit for bit) the trajectory that
:func:`scratchnet.train` gives the one network.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Tuple

import numpy as np
import pytest

from scratchnet import (
    Activation,
    NetworkBatch,
    NeuralNetwork,
    ReLU,
    Sigmoid,
    Tanh,
    learned,
    train,
    train_batch,
    xor,
)
from scratchnet.batched import runs_of
from scratchnet.layer import matmul, sum_over_samples, transpose


class LeakyReLU(Activation):
    """An activation defined outside the package, with ``backward`` only (no ``derivative``)."""

    @staticmethod
    def forward(x):
        return np.where(x > 0, x, 0.1 * x)

    @staticmethod
    def backward(x):
        return np.where(x > 0, 1.0, 0.1).astype(x.dtype)


def wide_data(n: int, inputs: int, outputs: int, seed: int) -> Tuple[np.ndarray, np.ndarray]:
    """``n`` samples of ``inputs`` features with 0/1 targets, some of each class per output."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, inputs))
    y = (rng.random((n, outputs)) > 0.5).astype(np.float64)
    y[0], y[1] = 0.0, 1.0
    return X, y


@dataclass(frozen=True)
class Case:
    name: str
    sizes: Tuple[int, ...]
    acts: Tuple[Activation, ...]
    init: object
    learning_rate: float
    data: str = "xor"  # or "wide<n>"
    seeds: Tuple[int, ...] = (0, 1, 7)
    epochs: int = 1000

    def xy(self):
        if self.data == "xor":
            return xor()
        n = int(self.data[len("wide"):])
        return wide_data(n, self.sizes[0], self.sizes[-1], seed=n)


CASES = [
    Case("relu-sigmoid-seed", (2, 4, 1), (ReLU(), Sigmoid()), "seed", 0.5),
    Case("tanh-sigmoid-xavier", (2, 4, 1), (Tanh(), Sigmoid()), "xavier", 0.1),
    Case("relu-16-he", (2, 16, 1), (ReLU(), Sigmoid()), "he", 0.1),
    Case("two-hidden", (2, 3, 2, 1), (ReLU(), Tanh(), Sigmoid()), "xavier", 0.3),
    # n >= 8 samples: sum_over_samples takes its np.sum branch; several outputs
    Case("n8-three-outputs", (3, 5, 3), (Tanh(), Sigmoid()), "xavier", 0.2, data="wide8"),
    Case("n12-two-outputs", (4, 6, 2), (ReLU(), Sigmoid()), "he", 0.1, data="wide12"),
    # n = 7, the largest batch the left-to-right loop handles
    Case("n7-leaky", (2, 5, 1), (LeakyReLU(), Sigmoid()), 0.5, 0.1, data="wide7", seeds=(3, 4)),
]
IDS = [case.name for case in CASES]


def one_network(case: Case, seed: int) -> NeuralNetwork:
    return NeuralNetwork(
        list(case.sizes), list(case.acts), rng=np.random.RandomState(seed), init=case.init
    )


def make_batch(case: Case) -> NetworkBatch:
    return NetworkBatch(
        list(case.sizes),
        list(case.acts),
        rngs=[np.random.RandomState(s) for s in case.seeds],
        init=case.init,
    )


@functools.lru_cache(maxsize=None)
def reference(case: Case):
    """Every seed of ``case`` trained alone with scratchnet.train: (losses, outputs, params)."""
    X, y = case.xy()
    runs = []
    for seed in case.seeds:
        net = one_network(case, seed)
        losses = train(net, X, y, epochs=case.epochs, learning_rate=case.learning_rate)
        runs.append((losses, net.forward(X), [p.copy() for p in net.parameters()]))
    return runs


@functools.lru_cache(maxsize=None)
def batched(case: Case, loss_every: int = 1):
    """``case`` trained as one NetworkBatch: (batch, losses, outputs)."""
    X, y = case.xy()
    batch = make_batch(case)
    losses = train_batch(
        batch, X, y, epochs=case.epochs, learning_rate=case.learning_rate, loss_every=loss_every
    )
    return batch, losses, batch.forward(X)


# --------------------------------------------------------------------------- construction


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_each_run_starts_from_the_one_network_weights(case):
    batch = make_batch(case)
    runs = len(case.seeds)
    assert batch.n_runs == runs
    assert batch.layer_sizes == list(case.sizes)
    for i, (fan_in, fan_out) in enumerate(zip(case.sizes[:-1], case.sizes[1:])):
        assert batch.weights[i].shape == (runs, fan_in, fan_out)
        assert batch.biases[i].shape == (runs, 1, fan_out)
    for r, seed in enumerate(case.seeds):
        net = one_network(case, seed)
        for i, layer in enumerate(net.layers):
            np.testing.assert_array_equal(batch.weights[i][r], layer.weights)
            np.testing.assert_array_equal(batch.biases[i][r], layer.bias)
    # different seeds really are different starting points
    assert not np.array_equal(batch.weights[0][0], batch.weights[0][1])


def test_int_seeds_and_generators_are_accepted_like_neural_network():
    sizes, acts = [2, 3, 1], [Tanh(), Sigmoid()]
    rngs = [5, np.random.default_rng(6), np.random.RandomState(7)]
    twins = [5, np.random.default_rng(6), np.random.RandomState(7)]
    batch = NetworkBatch(sizes, acts, rngs=iter(rngs), init="xavier")
    for r, rng in enumerate(twins):
        net = NeuralNetwork(sizes, acts, rng=rng, init="xavier")
        for i, layer in enumerate(net.layers):
            np.testing.assert_array_equal(batch.weights[i][r], layer.weights)


def test_forward_matches_every_one_network_forward():
    case = CASES[3]
    X, _ = case.xy()
    out = make_batch(case).forward(X)
    assert out.shape == (len(case.seeds), X.shape[0], case.sizes[-1])
    for r, seed in enumerate(case.seeds):
        np.testing.assert_array_equal(out[r], one_network(case, seed).forward(X))


def test_float32_batch_keeps_its_dtype_and_matches_float32_networks():
    X, y = xor()
    sizes, acts, seeds = [2, 4, 1], [Tanh(), Sigmoid()], (0, 1)
    batch = NetworkBatch(
        sizes, acts, rngs=[np.random.RandomState(s) for s in seeds], init="xavier",
        dtype=np.float32,
    )
    assert all(p.dtype == np.float32 for p in batch.parameters())
    losses = train_batch(batch, X, y, epochs=200, learning_rate=0.5)
    out = batch.forward(X)
    assert out.dtype == np.float32
    for r, seed in enumerate(seeds):
        net = NeuralNetwork(
            sizes, acts, rng=np.random.RandomState(seed), init="xavier", dtype=np.float32
        )
        one = train(net, X, y, epochs=200, learning_rate=0.5)
        np.testing.assert_array_equal(losses[:, r], one)
        np.testing.assert_array_equal(out[r], net.forward(X))


# --------------------------------------------------------------------------- the central claim


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_training_equals_one_network_training_bit_for_bit(case):
    batch, losses, outputs = batched(case)
    X, _ = case.xy()
    assert losses.shape == (case.epochs, len(case.seeds))
    assert outputs.shape == (len(case.seeds), X.shape[0], case.sizes[-1])
    for r, (one_losses, one_outputs, one_params) in enumerate(reference(case)):
        assert np.array_equal(losses[:, r], one_losses), f"run {r}: loss trajectories differ"
        assert np.array_equal(outputs[r], one_outputs), f"run {r}: final outputs differ"
        for stacked, param in zip(batch.parameters(), one_params):
            assert np.array_equal(stacked[r], param), f"run {r}: final parameters differ"
        # the comparison is not vacuous: training moved the loss
        assert one_losses[-1] < one_losses[0]
    # and the runs are distinct trajectories, so a mixed-up run order would show
    assert not np.array_equal(losses[:, 0], losses[:, 1])


@pytest.mark.parametrize("loss_every", [1, 3, 7, 250, 999, 1000, 5000])
def test_loss_every_keeps_the_losses_of_those_epochs(loss_every):
    case = CASES[1]
    _, losses, outputs = batched(case, loss_every)
    expected_rows = -(-case.epochs // loss_every)
    assert losses.shape == (expected_rows, len(case.seeds))
    recorded = np.arange(0, case.epochs, loss_every)
    assert len(recorded) == expected_rows
    for r, (one_losses, one_outputs, _) in enumerate(reference(case)):
        np.testing.assert_array_equal(losses[:, r], one_losses[recorded])
        # computing fewer losses does not change training
        np.testing.assert_array_equal(outputs[r], one_outputs)


def test_loss_every_matches_the_every_epoch_losses_of_the_batch():
    case = CASES[0]
    _, every_epoch, _ = batched(case, 1)
    _, sparse, _ = batched(case, 30)
    np.testing.assert_array_equal(sparse, every_epoch[::30])


def test_training_one_run_alone_is_the_same_as_in_a_batch():
    case = CASES[2]
    X, y = case.xy()
    _, losses, outputs = batched(case)
    alone = NetworkBatch(
        list(case.sizes), list(case.acts), rngs=[np.random.RandomState(case.seeds[1])],
        init=case.init,
    )
    single = train_batch(alone, X, y, epochs=case.epochs, learning_rate=case.learning_rate)
    np.testing.assert_array_equal(single[:, 0], losses[:, 1])
    np.testing.assert_array_equal(alone.forward(X)[0], outputs[1])


def test_integer_inputs_are_converted():
    X, y = xor()
    a = NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=[0, 1], init="he")
    b = NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=[0, 1], init="he")
    la = train_batch(a, X, y, epochs=50, learning_rate=0.3)
    lb = train_batch(b, X.astype(np.int64), y.astype(np.int64), epochs=50, learning_rate=0.3)
    np.testing.assert_array_equal(la, lb)


# --------------------------------------------------------------------------- network(r)


@pytest.mark.parametrize("case", [CASES[0], CASES[3], CASES[4]], ids=lambda c: c.name)
def test_network_returns_an_equal_neural_network(case):
    batch, _, outputs = batched(case)
    X, _ = case.xy()
    for r in range(batch.n_runs):
        net = batch.network(r)
        assert isinstance(net, NeuralNetwork)
        assert net.layer_sizes == list(case.sizes)
        assert net.dtype == batch.dtype
        assert [type(layer.activation) for layer in net.layers] == [type(a) for a in case.acts]
        for i, layer in enumerate(net.layers):
            np.testing.assert_array_equal(layer.weights, batch.weights[i][r])
            np.testing.assert_array_equal(layer.bias, batch.biases[i][r])
        np.testing.assert_array_equal(net.forward(X), outputs[r])


def test_network_is_a_copy():
    case = CASES[1]
    X, _ = case.xy()
    batch = make_batch(case)
    before = [p.copy() for p in batch.parameters()]
    net = batch.network(0)
    for p in net.parameters():
        p += 1.0
    for stacked, old in zip(batch.parameters(), before):
        np.testing.assert_array_equal(stacked, old)
    # and the batch changing does not reach the copy
    copy = batch.network(1)
    snapshot = copy.forward(X).copy()
    batch.weights[0] += 1.0
    np.testing.assert_array_equal(copy.forward(X), snapshot)


def test_network_of_a_float32_batch_is_a_float32_network():
    batch = NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=range(2), dtype=np.float32)
    X, _ = xor()
    for r in range(2):
        net = batch.network(r)
        assert net.dtype == np.float32
        assert all(p.dtype == np.float32 for p in net.parameters())
        out = net.forward(X.astype(np.float32))
        assert out.dtype == np.float32
        np.testing.assert_array_equal(out, batch.forward(X.astype(np.float32))[r])


@pytest.mark.parametrize("run", [3, 4, 100, -1, -3])
def test_network_out_of_range_is_a_value_error_naming_run(run):
    batch = NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=range(3))
    with pytest.raises(ValueError, match=r"run must be an index in \[0, 3\)"):
        batch.network(run)


# --------------------------------------------------------------------------- sum_over_samples


@pytest.mark.parametrize("n", range(1, 13))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sum_over_samples_equals_np_sum(n, dtype):
    rng = np.random.default_rng(100 + n)
    # magnitudes over many orders, so a different summation order would round differently
    values = rng.standard_normal((5, n, 3)) * 10.0 ** rng.integers(-8, 9, size=(5, n, 3))
    values = values.astype(dtype)
    total = sum_over_samples(values)
    expected = np.sum(values, axis=-2, keepdims=True)
    assert total.shape == (5, 1, 3)
    assert total.dtype == dtype
    assert np.array_equal(total, expected)
    # and equal to the one-network reduction of each run's (n, units) matrix
    for r in range(values.shape[0]):
        assert np.array_equal(total[r], np.sum(values[r], axis=0, keepdims=True))


@pytest.mark.parametrize("n", [1, 4, 7, 8, 12])
def test_sum_over_samples_on_a_single_matrix(n):
    values = np.random.default_rng(n).standard_normal((n, 4)) * 1e6
    assert np.array_equal(sum_over_samples(values), np.sum(values, axis=-2, keepdims=True))


def test_sum_over_samples_does_not_modify_its_input():
    values = np.random.default_rng(0).standard_normal((3, 4, 2))
    before = values.copy()
    sum_over_samples(values)
    np.testing.assert_array_equal(values, before)


# --------------------------------------------------------------------------- learned


def test_learned_on_hand_made_outputs():
    _, y = xor()  # targets 0, 1, 1, 0
    outputs = np.array(
        [
            [0.1, 0.9, 0.8, 0.2],  # all right
            [0.1, 0.9, 0.8, 0.6],  # last one wrong
            [0.4, 0.5, 0.9, 0.1],  # exactly 0.5 is not above 0.5: wrong for a target 1
            [0.5, 0.51, 0.99, 0.0],  # exactly 0.5 for a target 0 is right
            [0.9, 0.1, 0.2, 0.8],  # all wrong
        ]
    )[:, :, None]
    result = learned(outputs, y)
    assert result.dtype == np.bool_
    assert result.shape == (5,)
    np.testing.assert_array_equal(result, [True, False, False, True, False])


def test_learned_needs_every_output_of_every_sample():
    y = np.array([[0.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    good = np.array([[0.2, 0.7], [0.6, 0.9], [0.1, 0.3]])
    bad = good.copy()
    bad[1, 0] = 0.4  # one output of one sample
    np.testing.assert_array_equal(learned(np.stack([good, bad, good]), y), [True, False, True])


def test_learned_threshold():
    y = np.array([[0.0], [1.0]])
    outputs = np.array([[[0.3], [0.6]], [[0.1], [0.95]]])
    np.testing.assert_array_equal(learned(outputs, y), [True, True])
    np.testing.assert_array_equal(learned(outputs, y, threshold=0.9), [False, True])
    np.testing.assert_array_equal(learned(outputs, y, threshold=0.2), [False, True])


def test_learned_agrees_with_predict_of_each_network():
    case = CASES[0]
    X, y = case.xy()
    batch, _, outputs = batched(case)
    expected = [np.array_equal(batch.network(r).predict(X), y) for r in range(batch.n_runs)]
    np.testing.assert_array_equal(learned(outputs, y), expected)


# --------------------------------------------------------------------------- validation


def small_batch():
    return NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=[0, 1])


@pytest.mark.parametrize("rngs", [[], (), range(0), iter([])])
def test_empty_rngs_raise(rngs):
    with pytest.raises(ValueError, match="rngs"):
        NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=rngs)


def test_bad_architecture_is_refused_like_neural_network():
    with pytest.raises(ValueError, match="activations"):
        NetworkBatch([2, 4, 1], [ReLU()], rngs=[0])
    with pytest.raises(TypeError, match="Activation instance"):
        NetworkBatch([2, 4, 1], [ReLU, Sigmoid()], rngs=[0])


@pytest.mark.parametrize("X", [np.ones((4, 3)), np.ones((4, 1)), np.ones(4), np.ones((0, 2))])
def test_forward_refuses_wrong_input_shape(X):
    with pytest.raises(ValueError, match=r"x (must be 2-D|must have 2 columns|is an empty batch)"):
        small_batch().forward(X)


def test_forward_refuses_non_finite_input():
    X, _ = xor()
    X[2, 1] = np.nan
    with pytest.raises(ValueError, match="finite"):
        small_batch().forward(X)


def assert_refused(error, match, X=None, y=None, **kwargs):
    batch = small_batch()
    before = [p.copy() for p in batch.parameters()]
    X0, y0 = xor()
    X = X0 if X is None else X
    y = y0 if y is None else y
    with pytest.raises(error, match=match):
        train_batch(batch, X, y, **{"epochs": 5, **kwargs})
    for p, old in zip(batch.parameters(), before):
        np.testing.assert_array_equal(p, old)  # nothing was trained


@pytest.mark.parametrize("X", [np.ones((4, 3)), np.ones((4, 1))])
def test_train_batch_refuses_wrong_x_width(X):
    assert_refused(ValueError, r"X (must be 2-D|must have 2 columns|is an empty batch)", X=X)


@pytest.mark.parametrize("y", [np.ones(4), np.ones((4, 2)), np.ones((3, 1)), np.ones((1, 4))])
def test_train_batch_refuses_y_shape_mismatch(y):
    assert_refused(ValueError, "y must have shape", y=y)


def test_train_batch_refuses_non_finite_y():
    _, y = xor()
    y[0, 0] = np.inf
    assert_refused(ValueError, "finite", y=y)


@pytest.mark.parametrize("epochs", [0, -1])
def test_train_batch_refuses_non_positive_epochs(epochs):
    assert_refused(ValueError, "epochs", epochs=epochs)


@pytest.mark.parametrize("epochs", [2.0, True])
def test_train_batch_refuses_non_integer_epochs(epochs):
    assert_refused(TypeError, "epochs", epochs=epochs)


@pytest.mark.parametrize("learning_rate", [0, 0.0, -0.1, np.inf, np.nan])
def test_train_batch_refuses_bad_learning_rate(learning_rate):
    assert_refused(ValueError, "learning_rate", learning_rate=learning_rate)


@pytest.mark.parametrize("loss_every", [0, -2])
def test_train_batch_refuses_non_positive_loss_every(loss_every):
    assert_refused(ValueError, "loss_every", loss_every=loss_every)


# --------------------------------------------------------------------------- concatenate


def test_concatenate_keeps_every_run_and_its_training():
    """Three batches joined hold their runs in order, with the shared dtype, and train
    exactly as each run does in its own batch."""
    X, y = xor()
    sizes, acts = [2, 4, 1], [ReLU(), Sigmoid()]
    parts = [NetworkBatch(sizes, acts, rngs=[s], init=init, dtype=np.float32)
             for s, init in [(0, "seed"), (1, "he"), (2, "xavier")]]
    joined = NetworkBatch.concatenate(parts)
    assert joined.n_runs == 3 and joined.dtype == np.float32
    assert joined.layer_sizes == sizes and joined.activations == acts
    for r, part in enumerate(parts):
        for stacked, own in zip(joined.parameters(), part.parameters()):
            assert np.array_equal(stacked[r], own[0])
    train_batch(joined, X, y, epochs=50, learning_rate=0.5)
    for r, part in enumerate(parts):
        train_batch(part, X, y, epochs=50, learning_rate=0.5)
        for stacked, own in zip(joined.parameters(), part.parameters()):
            assert np.array_equal(stacked[r], own[0])


@pytest.mark.parametrize("other", [
    lambda: NetworkBatch([2, 5, 1], [ReLU(), Sigmoid()], rngs=[0]),
    lambda: NetworkBatch([2, 4, 1], [Tanh(), Sigmoid()], rngs=[0]),
    lambda: NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=[0], dtype=np.float32),
])
def test_concatenate_refuses_a_batch_of_another_architecture_anywhere(other):
    """A mismatch in the third batch is found as well as in the second."""
    same = NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=[0])
    with pytest.raises(ValueError, match="batches must share layer sizes, activations and dtype"):
        NetworkBatch.concatenate([same, same, other()])


def test_concatenate_refuses_what_is_not_a_batch():
    """Not a list of NetworkBatch: a TypeError naming the position, or a ValueError for none."""
    same = NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=[0])
    with pytest.raises(TypeError, match=r"batches\[1\] must be a NetworkBatch, got 'x'"):
        NetworkBatch.concatenate([same, "x"])
    with pytest.raises(ValueError, match="at least one NetworkBatch"):
        NetworkBatch.concatenate([])


# --------------------------------------------------------------------------- matmul


@pytest.mark.claim("layer-matmul-same-product")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(1, 1, 1), (4, 2, 4), (4, 4, 1), (7, 3, 5), (12, 8, 2), (64, 30, 17)])
def test_matmul_is_the_product_at_and_run_by_run(shape, dtype):
    """`matmul` gives `a @ b` bit for bit, for plain matrices, for their transposes and
    for stacks of runs; and a stack's product equals each run's own product, which is
    what keeps `train_batch` bit-exact with `train`."""
    n, k, m = shape
    rng = np.random.default_rng(sum(shape))
    a = (rng.standard_normal((3, n, k)) * 10.0 ** rng.integers(-6, 7, (3, n, k))).astype(dtype)
    b = (rng.standard_normal((3, k, m)) * 10.0 ** rng.integers(-6, 7, (3, k, m))).astype(dtype)
    stacked = matmul(a, b)
    assert stacked.dtype == dtype
    assert np.array_equal(stacked, a @ b)
    for r in range(3):
        assert np.array_equal(matmul(a[r], b[r]), a[r] @ b[r])
        assert np.array_equal(matmul(a[r], b[r]), stacked[r])
        # the transposed operands backward uses: x.T @ dz and dz @ W.T
        dz = stacked[r]
        assert np.array_equal(matmul(transpose(a[r]), dz), a[r].T @ dz)
        assert np.array_equal(matmul(transpose(a[r]), dz), matmul(transpose(a), stacked)[r])
        assert np.array_equal(matmul(dz, transpose(b[r])), matmul(stacked, transpose(b))[r])


# --------------------------------------------------------------------------- divergence


@pytest.mark.parametrize("loss_every", [1, 1000])
def test_a_huge_learning_rate_stops_with_the_runs_it_hit(loss_every):
    """Overflow stops train_batch with train's FloatingPointError, naming the runs, and
    without a RuntimeWarning (warnings are errors here): at the first recorded loss that
    is not finite, or, when no later loss is recorded, in the weights at the end."""
    X, y = xor()
    batch = NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=range(3))
    with pytest.raises(FloatingPointError, match=r"training diverged in .*run.* 1.*learning_rate=1e\+200") as error:
        train_batch(batch, X, y, epochs=1000, learning_rate=1e200, loss_every=loss_every)
    # only run 1 overflows, and the message names it alone
    where = ("epoch 1: the loss of run 1 is no longer finite" if loss_every == 1
             else "the last 1000 epochs: the weights of run 1 are no longer finite")
    assert str(error.value).startswith(f"training diverged in {where}. ")


def test_train_batch_defaults_are_10000_epochs_at_learning_rate_0_1():
    X, y = xor()
    default = NetworkBatch([2, 3, 1], [Tanh(), Sigmoid()], rngs=range(2))
    explicit = NetworkBatch([2, 3, 1], [Tanh(), Sigmoid()], rngs=range(2))
    losses = train_batch(default, X, y, loss_every=5000)
    assert losses.shape == (2, 2)  # epochs 0 and 5000 of 10000
    np.testing.assert_array_equal(
        losses, train_batch(explicit, X, y, 10000, 0.1, loss_every=5000))
    for ours, theirs in zip(default.parameters(), explicit.parameters()):
        np.testing.assert_array_equal(ours, theirs)


def test_runs_that_stay_finite_are_not_stopped():
    X, y = xor()
    batch = NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=range(3))
    losses = train_batch(batch, X, y, epochs=50, learning_rate=1e10)  # huge, but finite
    assert np.isfinite(losses).all()


# --------------------------------------------------------------------------- naming the runs


@pytest.mark.parametrize("values, named", [
    ([1.0, np.nan, 2.0], r"run 1"),  # one run: "run", singular
    ([np.inf, 1.0, -np.inf], r"runs 0 and 2"),
    ([0.0, np.nan, 0.0, np.nan, 0.0, np.inf], r"runs 1, 3 and 5"),
    ([np.nan] * 5, r"runs 0, 1, 2, 3 and 4"),  # five runs: all named
    ([np.nan] * 6, r"runs 0, 1, 2, 3, 4 and 1 more"),  # at most five are named
    ([np.nan] * 8 + [0.0, np.nan], r"runs 0, 1, 2, 3, 4 and 4 more"),
])
def test_runs_of_names_the_runs_whose_value_is_not_finite(values, named):
    assert re.fullmatch(named, runs_of(np.array(values)))


@pytest.mark.parametrize("finite, named", [
    ([True, False, True], r"run 1"),
    ([False, True, False, True, False], r"runs 0, 2 and 4"),
    ([False] * 7, r"runs 0, 1, 2, 3, 4 and 2 more"),
])
def test_runs_of_a_boolean_array_names_the_runs_that_are_false(finite, named):
    assert re.fullmatch(named, runs_of(np.array(finite)))


@pytest.mark.parametrize("shape, expected", [
    ((1, 3, 2), "2-D with shape (n_samples, 2)"),  # 1 run of 3 samples, not 3 runs
    ((2, 5, 2), "2-D with shape (n_samples, 2)"),
    ((3, 1, 5, 2), "2-D with shape (n_samples, 2)"),
    ((3, 5, 3), "shape (3, n_samples, 2) (one batch of at least one sample per run)"),
    ((3, 0, 2), "shape (3, n_samples, 2) (one batch of at least one sample per run)"),
])
def test_a_stacked_layer_refuses_inputs_that_are_not_one_batch_per_run(shape, expected):
    layer = NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=range(3)).layers[0]
    with pytest.raises(ValueError, match=rf"^x must (be|have) {re.escape(expected)}, got shape "
                       rf"{re.escape(str(shape))}$"):
        layer.forward(np.ones(shape))
    layer.forward(np.ones((3, 5, 2)))  # one batch of 5 per run


def test_a_stacked_layer_takes_a_batch_per_run_in_any_real_dtype():
    layer = NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=range(3)).layers[0]
    x = np.arange(30).reshape(3, 5, 2) % 3  # integers: converted once, like a 2-D batch
    output = layer.forward(x)
    assert output.shape == (3, 5, 4) and output.dtype == np.float64
    expected = [np.maximum(x[r] @ layer.weights[r] + layer.bias[r], 0.0) for r in range(3)]
    np.testing.assert_array_equal(output, expected)
