"""The network page: it runs cleanly, its claims hold on independent evidence, and its
prose describes the code it shows."""

from __future__ import annotations

import copy
import inspect
import math
import pickle
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT
from scratchnet import (
    BinaryCrossEntropy,
    Identity,
    Layer,
    LeakyReLU,
    NeuralNetwork,
    ReLU,
    SGD,
    Sigmoid,
    Tanh,
    count_parameters,
    load,
    save,
    xor,
)

from independent import central_difference, claim_block, exact_sigmoid, worst_relative_error

PAGE = ROOT / "book" / "network.md"
BCE = BinaryCrossEntropy()


def chapter_network(seed: int = 42) -> NeuralNetwork:
    return NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(seed))


def bce(p: np.ndarray, y: np.ndarray) -> float:
    """Binary cross-entropy written here, from its definition."""
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def random_network(seed: int) -> tuple:
    """A network of random shape with a sigmoid output, a batch and 0/1 targets."""
    rng = np.random.default_rng(seed)
    hidden = [int(n) for n in rng.integers(2, 6, size=int(rng.integers(1, 3)))]
    sizes = [int(rng.integers(1, 4))] + hidden + [int(rng.integers(1, 3))]
    acts = [[ReLU(), Tanh(), LeakyReLU(0.1)][int(k)] for k in rng.integers(0, 3, len(hidden))]
    net = NeuralNetwork(sizes, acts + [Sigmoid()], rng=rng, init="xavier")
    X = rng.standard_normal((int(rng.integers(1, 9)), sizes[0]))
    y = rng.integers(0, 2, size=(len(X), sizes[-1])).astype(float)
    return net, X, y


# ----------------------------------------------------------------------------- the page


@pytest.mark.book
def test_page_runs_without_stderr(run_page):
    assert run_page("network").stream_text("stderr") == ""


def test_the_layer_count_and_the_loss_have_different_symbols():
    """The page calls the loss \\mathcal{L} and the number of layers D: no bare L is left
    in its math (the issue: L for the layer count next to \\mathcal{L} for the loss)."""
    text = PAGE.read_text(encoding="utf-8")
    math_parts = re.findall(r"\$\$.*?\$\$|\$[^$\n]+\$", text, re.DOTALL)
    bare = [m for m in math_parts if re.search(r"(?<![\\{a-zA-Z])L(?![a-zA-Z])", m)]
    assert bare == []
    assert r"\delta^{(D)}" in text and "l = 1, \\dots, D" in text


# ----------------------------------------------------------------------------- claims


@pytest.mark.claim("network-gradients-loop")
def test_the_prose_describes_the_backward_loop_the_code_runs():
    """The paragraph's code is checked against the source of NeuralNetwork.gradients and
    Layer.backward (inspect.getsource): every expression it quotes is in that source and
    every name it uses exists; and on ten random networks gradients leaves every parameter
    unchanged bit for bit, returns the gradients in the order and shapes of parameters()
    and dL/dx of the input's shape, and fit's backpropagate, started from delta of the
    last layer (sigmoid with cross-entropy, (p - y)/n), gives the same parameter
    gradients up to rounding."""
    from scratchnet.fitting import backpropagate

    sources = [NeuralNetwork.gradients, Layer.backward]
    code = "\n".join(textwrap.dedent(inspect.getsource(f)) for f in sources)
    flat_code = " ".join(code.split())
    words = set(re.findall(r"\w+", code))
    signature = inspect.signature(NeuralNetwork.gradients).parameters
    known = set(dir(NeuralNetwork)) | set(dir(Layer)) | words
    spans = re.findall(r"(?<!})`([^`]+)`", claim_block(PAGE, "network-gradients-loop"))  # not roles
    assert "reversed(self.layers)" in spans
    for span in spans:
        if re.fullmatch(r"\w+=\w+", span):  # a flag: a parameter of gradients
            assert span.split("=")[0] in signature, span
        elif re.fullmatch(r"[\w.]+(\(\))?", span):  # a name
            assert all(part in known for part in span.rstrip("()").split(".")), span
        else:  # an expression: quoted from the code
            assert " ".join(span.split()) in flat_code, span

    for seed in range(10):
        net, X, y = random_network(seed)
        before = [p.copy() for p in net.parameters()]
        p = net.forward(X)
        grads, dx = net.gradients(BCE.backward(p, y))
        assert all(np.array_equal(a, b) for a, b in zip(net.parameters(), before))
        assert [g.shape for g in grads] == [q.shape for q in net.parameters()]
        assert dx.shape == X.shape
        fused = backpropagate(net.layers, (p - y) / p.size)
        assert len(fused) == len(grads)
        for a, b in zip(grads, fused):
            assert np.allclose(a, b, rtol=1e-9, atol=1e-15)


@pytest.mark.book
@pytest.mark.claim("network-backward-is-gradients-plus-sgd")
def test_backward_equals_a_gradient_step_written_out(run_page):
    """The page's largest difference is zero; and on ten random networks, over five
    training steps each at learning rates 0.1 and 0.7, the chapter's backward gives
    exactly (bit for bit) the parameters of W - lr * dW computed in the test from
    gradients, with no optimizer involved."""
    assert run_page("network").glued["net_step_diff"] == 0.0
    for seed in range(10):
        for lr in (0.1, 0.7):
            a, X, y = random_network(seed)
            b, _, _ = random_network(seed)
            for _ in range(5):
                a.backward(BCE.backward(a.forward(X), y), learning_rate=lr)
                grads, _ = b.gradients(BCE.backward(b.forward(X), y))
                for parameter, grad in zip(b.parameters(), grads):
                    parameter[...] = parameter - lr * grad
                assert all(np.array_equal(p, q) for p, q in zip(a.parameters(), b.parameters()))


@pytest.mark.book
@pytest.mark.claim("network-parameter-count")
def test_parameter_count_matches_the_closed_form(run_page):
    """The closed form: a layer from n_in to n_out units has n_in * n_out weights and
    n_out biases. The page's counts and shapes for [2, 4, 1] match it, and so does
    count_parameters on 20 random layer-size lists."""
    g = run_page("network").glued
    assert g["net_params_hidden"] == 2 * 4 + 4
    assert g["net_params_out"] == 4 * 1 + 1
    assert g["net_params"] == 17
    expected_shapes = {"x": (4, 2), "w1": (2, 4), "b1": (1, 4), "z1": (4, 4),
                       "w2": (4, 1), "b2": (1, 1), "out": (4, 1)}
    for name, shape in expected_shapes.items():
        assert g[f"net_shape_{name}"] == shape
    rng = np.random.default_rng(5)
    for _ in range(20):
        sizes = [int(n) for n in rng.integers(1, 9, size=int(rng.integers(2, 6)))]
        net = NeuralNetwork(sizes, [Tanh()] * (len(sizes) - 1), rng=0)
        closed_form = sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))
        assert count_parameters(net) == closed_form


@pytest.mark.book
@pytest.mark.claim("network-bce-half-is-ln2")
def test_constant_half_outputs_cost_ln2(run_page):
    """Closed form: with p = 1/2, y ln p + (1 - y) ln(1 - p) = ln(1/2) for any target y,
    so the loss is ln 2. The page's value equals math.log(2) to 1e-15, BinaryCrossEntropy
    gives ln 2 on 20 random target arrays (0/1 and soft), and fresh chapter networks (seeds
    0 to 9) output within 0.01 of 1/2, so their first loss is close to ln 2."""
    g = run_page("network").glued
    assert g["net_bce_half"] == pytest.approx(math.log(2), rel=1e-15)
    assert g["net_ln2"] == pytest.approx(math.log(2), rel=1e-15)
    rng = np.random.default_rng(6)
    for trial in range(20):
        shape = (int(rng.integers(1, 20)), int(rng.integers(1, 4)))
        y = rng.integers(0, 2, shape).astype(float) if trial % 2 else rng.uniform(0, 1, shape)
        assert BCE.forward(np.full(shape, 0.5), y) == pytest.approx(math.log(2), rel=1e-14)
    X, y = xor()
    for seed in range(10):
        out = chapter_network(seed).forward(X)
        assert np.all(np.abs(out - 0.5) < 0.01)
        assert BCE.forward(out, y) == pytest.approx(math.log(2), abs=0.01)


@pytest.mark.book
@pytest.mark.claim("network-sigmoid-bce-delta")
def test_sigmoid_with_cross_entropy_gives_the_error(run_page):
    """The page's difference is at rounding level (below 1e-15); and for 10,000 random
    pre-activations in [-20, 20] with random 0/1 targets, in batches of 1 to 64, the
    chain-rule product dL/dp * sigma'(z) equals (p - y)/n to within 1e-14 of 1/n."""
    assert run_page("network").glued["net_dz_diff"] < 1e-15
    rng = np.random.default_rng(7)
    for n in (1, 4, 64):
        for _ in range(10_000 // n):
            z = rng.uniform(-20, 20, (n, 1))
            y = rng.integers(0, 2, (n, 1)).astype(float)
            p = Sigmoid.forward(z)
            delta = BCE.backward(p, y) * Sigmoid.backward(z)
            assert np.max(np.abs(delta - (p - y) / n)) < 1e-14 / n


def _python_trace(example: dict) -> dict:
    """The 2-2-1 example with plain Python floats and the math module (no NumPy): the
    forward values, and every gradient as a central difference of the plain loss."""
    (x,), ((y,),) = example["x"], example["y"]
    params = {name: example[name] for name in ("W1", "b1", "W2", "b2")}

    def forward(P):
        (b1,), (b2,) = P["b1"], P["b2"]
        z1 = [x[0] * P["W1"][0][k] + x[1] * P["W1"][1][k] + b1[k] for k in range(2)]
        a1 = [max(v, 0.0) for v in z1]
        z2 = a1[0] * P["W2"][0][0] + a1[1] * P["W2"][1][0] + b2[0]
        p = 1 / (1 + math.exp(-z2))
        return z1, a1, z2, p, -(y * math.log(p) + (1 - y) * math.log(1 - p))

    def numeric(name, h=1e-6):
        grads = []
        for r, row in enumerate(params[name]):
            for c in range(len(row)):
                values = []
                for sign in (1, -1):
                    P = copy.deepcopy(params)
                    P[name][r][c] += sign * h
                    values.append(forward(P)[4])
                grads.append((values[0] - values[1]) / (2 * h))
        return grads

    z1, a1, z2, p, loss = forward(params)
    return {"z1": z1, "a1": a1, "z2": [z2], "p": [p], "loss": [loss],
            "delta2": numeric("b2"), "dw2": numeric("W2"),
            "delta1": numeric("b1"), "dw1": numeric("W1"), "p_minus_y": [p - y]}


@pytest.mark.book
@pytest.mark.claim("network-trace-agrees")
def test_hand_trace_and_package_match_a_plain_python_numerical_derivative(run_page):
    """An independent route for the 2-2-1 example (its weights read from the page): the
    forward pass in plain Python floats, and every gradient and delta (delta = dL/db for
    one example) as a central difference of that plain-Python loss. Both the by-hand
    column and the scratchnet column match it to 1e-8; delta of the output is p - y."""
    g = run_page("network").glued
    reference = _python_trace(g["set_net_trace_example"])
    for name in ("z1", "a1", "z2", "p", "loss", "delta2", "dw2", "delta1", "dw1"):
        for i, value in enumerate(reference[name]):
            for who in ("hand", "pkg"):
                assert g[f"net_trace_{who}_{name}_{i}"] == pytest.approx(value, abs=1e-8), (
                    who, name, i)
    assert g["net_trace_hand_delta2_0"] == pytest.approx(reference["p_minus_y"][0], abs=1e-12)
    assert g["net_trace_diff"] < 1e-12
    assert g["net_trace_delta2_error"] < 1e-12
    # the example exercises both hidden units (neither is off, so no gradient is trivially 0)
    assert all(v > 0 for v in reference["z1"])


@pytest.mark.book
@pytest.mark.claim("network-gradcheck-passes")
def test_network_gradients_match_an_independent_numerical_derivative(run_page):
    """Each of the page's five errors is below 1e-7; and on 20 other random networks
    (one or two hidden layers of ReLU, tanh or leaky ReLU, a sigmoid output, random
    batches and targets), gradients agrees with a central difference of a cross-entropy
    written in the test to within 1e-5 relative error (a bug gives 1e-2 or more)."""
    g = run_page("network").glued
    for key in ("w1", "b1", "w2", "b2", "x"):
        assert g[f"net_check_{key}"] < 1e-7, key
    assert g["net_check_worst"] < 1e-7
    for seed in range(100, 120):
        net, X, y = random_network(seed)
        grads, dx = net.gradients(BCE.backward(net.forward(X), y))

        def f():
            return bce(net.forward(X), y)

        for grad, parameter in zip(grads, net.parameters()):
            assert worst_relative_error(grad, central_difference(f, parameter)) < 1e-5, seed
        assert worst_relative_error(dx, central_difference(f, X)) < 1e-5, seed


def one_sided(net: NeuralNetwork, X, y, array: np.ndarray, h: float):
    """Forward differences from above and from below, for every entry of ``array``."""
    def f():
        return bce(net.forward(X), y)

    base = f()
    above, below = np.zeros(array.shape), np.zeros(array.shape)
    for i in np.ndindex(array.shape):
        keep = array[i]
        array[i] = keep + h
        above[i] = (f() - base) / h
        array[i] = keep - h
        below[i] = (base - f()) / h
        array[i] = keep
    return above, below


@pytest.mark.book
@pytest.mark.claim("network-start-kink")
def test_the_large_errors_at_the_start_come_from_the_relu_kink(run_page):
    """For this run (seed 42) and four other seeds: the hidden pre-activations of the
    input (0, 0) are exactly zero; the package's first-bias gradient equals the one-sided
    difference from below (the units off, ReLU'(0) = 0) up to rounding and, at seed 42, differs
    from the one from above; on the page, the errors above 1e-2 with (0, 0) fall below
    1e-3 without it."""
    g = run_page("network").glued
    assert g["net_start_b1"] > 1e-2 and g["net_start_x"] > 1e-2
    assert g["net_start_b1_away"] < 1e-3 and g["net_start_x_away"] < 1e-3
    X, y = xor()
    for seed in (42, 0, 1, 2, 3):
        net = chapter_network(seed)
        hidden = net.layers[0]
        assert np.all(X[0] @ hidden.weights + hidden.bias == 0)
        grads, _ = net.gradients(BCE.backward(net.forward(X), y))
        above, below = one_sided(net, X, y, hidden.bias, h=1e-5)
        assert np.allclose(grads[1], below, rtol=1e-3, atol=1e-10), seed
        if seed == 42:
            assert worst_relative_error(grads[1], above) > 0.5


@pytest.mark.book
@pytest.mark.claim("network-start-rounding")
def test_the_weight_errors_at_the_start_are_rounding(run_page):
    """For this run (seed 42): measured with a central difference written in the test, the
    first-layer error falls steadily as the step h grows from 1e-7 to 1e-3, with error
    times h constant within a factor 10 (rounding, which is divided by 2h); a gradient
    made wrong by 1% keeps an error near 1e-2 at every h; a central difference in
    extended precision (np.longdouble) agrees with the package to 1e-5; and the page's
    prediction is within a factor 3 of its measurement, and its h = 1e-3 errors are smaller."""
    g = run_page("network").glued
    assert g["net_start_w1"] > 1e-7 and g["net_start_w2"] > 1e-7
    assert g["net_start_w1_wider"] < g["net_start_w1"] / 10
    assert g["net_start_w2_wider"] < g["net_start_w2"] / 10
    assert 1 / 3 < g["net_start_w1_predicted"] / g["net_start_w1"] < 3

    X, y = xor()
    net = chapter_network(42)
    W1 = net.layers[0].weights
    grads, _ = net.gradients(BCE.backward(net.forward(X), y))

    def f():
        return bce(net.forward(X), y)

    steps = [1e-7, 1e-6, 1e-5, 1e-4, 1e-3]
    errors = [worst_relative_error(grads[0], central_difference(f, W1, h)) for h in steps]
    assert all(a > b for a, b in zip(errors, errors[1:])), errors
    scaled = [e * h for e, h in zip(errors, steps)]
    assert max(scaled) / min(scaled) < 10, scaled
    wrong = grads[0] * 1.01
    for h in steps[1:]:
        assert 5e-3 < worst_relative_error(wrong, central_difference(f, W1, h)) < 2e-2

    if np.finfo(np.longdouble).eps < 1e-18:  # 80-bit extended precision (x86)
        ld = np.longdouble
        Xl, yl = X.astype(ld), y.astype(ld)
        W1l, b1l = W1.astype(ld), net.layers[0].bias.astype(ld)
        W2l, b2l = net.layers[1].weights.astype(ld), net.layers[1].bias.astype(ld)

        def f_long():
            a1 = np.maximum(Xl @ W1l + b1l, 0)
            p = 1 / (1 + np.exp(-(a1 @ W2l + b2l)))
            return -np.mean(yl * np.log(p) + (1 - yl) * np.log(1 - p))

        numeric = np.zeros(W1.shape)
        for i in np.ndindex(W1.shape):
            keep = W1l[i]
            W1l[i] = keep + ld(1e-5)
            up = f_long()
            W1l[i] = keep - ld(1e-5)
            down = f_long()
            W1l[i] = keep
            numeric[i] = float((up - down) / ld(2e-5))
        assert worst_relative_error(grads[0], numeric) < 1e-5


@pytest.mark.claim("network-save-safe")
def test_saved_files_hold_no_pickle_and_a_failed_save_leaves_the_old_file(tmp_path, monkeypatch):
    """Every array in a saved file has a plain dtype and reads back with
    allow_pickle=False; a file holding a pickled object whose unpickling would create a
    file is refused by load without creating it; and a save that crashes halfway (the
    writer raises after writing part of the data) leaves the previous file at the path
    intact, loadable bit for bit, with no temporary file behind."""
    net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=0)
    path = save(net, tmp_path / "net.npz")
    with np.load(path, allow_pickle=False) as data:
        assert all(data[key].dtype != object for key in data.files)

    marker = tmp_path / "unpickled"

    class Trap:
        def __reduce__(self):
            return (Path.touch, (marker,))

    evil = tmp_path / "evil.npz"
    with open(evil, "wb") as file:
        np.savez(file, **{"format_version": np.array([Trap()], dtype=object)})
    assert pickle.dumps(Trap())  # the trap is a real pickle
    with pytest.raises(ValueError):
        load(evil)
    assert not marker.exists()

    other = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=1)

    def crash(file, **arrays):
        file.write(b"PK\x03\x04 half a model")
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(OSError):
        save(other, path)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.npz", "net.npz"]
    restored = load(path)
    assert all(np.array_equal(a, b) for a, b in zip(restored.parameters(), net.parameters()))


@pytest.mark.book
@pytest.mark.claim("network-save-load-bit-exact")
def test_save_load_round_trip_is_bit_exact(run_page, tmp_path):
    """The page's network came back equal; and eight other networks (float32 and float64,
    ReLU, leaky ReLU, tanh, sigmoid and identity layers, trained a few steps so the
    weights are not fresh) come back with every parameter bit for bit equal, the same
    dtype and activations, and the same outputs."""
    assert run_page("network").glued["net_saved_bit_exact"] is True
    rng = np.random.default_rng(8)
    for trial in range(8):
        dtype = (np.float32, np.float64)[trial % 2]
        acts = [LeakyReLU(0.2), Tanh(), ReLU(), Identity()][trial % 4]
        net = NeuralNetwork([3, 7, 5, 1], [acts, Tanh(), Sigmoid()], rng=rng,
                            init="xavier", dtype=dtype)
        X = rng.standard_normal((6, 3)).astype(dtype)
        y = rng.integers(0, 2, (6, 1)).astype(dtype)
        for _ in range(3):
            net.backward(BCE.backward(net.forward(X), y), learning_rate=0.3)
        copy = load(save(net, tmp_path / f"net{trial}"))
        assert copy.dtype == net.dtype
        assert [layer.activation for layer in copy.layers] == [
            layer.activation for layer in net.layers]
        for a, b in zip(copy.parameters(), net.parameters()):
            assert a.dtype == b.dtype and np.array_equal(a, b)
        assert np.array_equal(copy.forward(X), net.forward(X))


# ----------------------------------------------------------------------------- exercises


@pytest.mark.book
@pytest.mark.claim("network-exercise-shapes")
def test_exercise_shapes_follow_the_closed_form(run_page):
    """The closed form: with n examples, delta of layer l is (n, n_l), W^T of layer l is
    (n_l, n_{l-1}), and the weight and bias gradients are (n_{l-1}, n_l) and (1, n_l).
    The page's glued shapes for [2, 4, 1] on the four XOR inputs are those, its loop
    matched gradients(); and on ten random networks the chain of products written here
    has those shapes at every layer and gives the gradients of gradients() to 1e-12."""
    g = run_page("network").glued
    n, (n0, n1, n2) = 4, (2, 4, 1)
    assert g["net_ex_shapes"] == {
        "delta2": (n, n2), "W2.T": (n2, n1), "delta2 @ W2.T": (n, n1),
        "ReLU'(z1)": (n, n1), "delta1": (n, n1), "X.T @ delta1": (n0, n1),
        "column sums": (1, n1)}
    assert g["net_ex_delta1_shape"] == (n, n1) == g["net_shape_z1"]
    assert g["net_ex_grad_w1_shape"] == g["net_shape_w1"]
    assert g["net_ex_grad_b1_shape"] == g["net_shape_b1"]
    assert g["net_ex_loop_matches"] is True
    for seed in range(10):
        net, X, y = random_network(seed)
        p = net.forward(X)
        grads, _ = net.gradients(BCE.backward(p, y))
        sizes, rows = net.layer_sizes, len(X)
        delta = BCE.backward(p, y) * Sigmoid.backward(net.layers[-1].activation_input)
        for l in range(len(net.layers), 0, -1):  # l = D, ..., 1, as on the page
            layer = net.layers[l - 1]
            assert delta.shape == (rows, sizes[l])
            grad_w = layer.input.T @ delta
            grad_b = delta.sum(axis=0, keepdims=True)
            assert grad_w.shape == (sizes[l - 1], sizes[l]) and grad_b.shape == (1, sizes[l])
            np.testing.assert_allclose(grad_w, grads[2 * (l - 1)], rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(grad_b, grads[2 * l - 1], rtol=1e-12, atol=1e-15)
            if l > 1:
                below = net.layers[l - 2]
                passed = delta @ layer.weights.T
                assert passed.shape == (rows, sizes[l - 1])
                delta = passed * below.activation.backward(below.activation_input)


@pytest.mark.book
@pytest.mark.claim("network-exercise-parameter-formula")
def test_exercise_parameter_formula_counts_every_array(run_page):
    """The formula sum (n_{l-1} + 1) n_l, written here, gives the page's glued count for
    [784, 128, 10] (785 * 128 + 129 * 10), and on 30 random layer-size lists it equals
    both count_parameters and the number of entries of all the arrays parameters()
    hands out."""
    assert run_page("network").glued["net_ex_count_mnist"] == 785 * 128 + 129 * 10
    rng = np.random.default_rng(15)
    for _ in range(30):
        sizes = [int(n) for n in rng.integers(1, 40, size=int(rng.integers(2, 6)))]
        net = NeuralNetwork(sizes, [ReLU()] * (len(sizes) - 2) + [Sigmoid()], rng=0)
        formula = sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))
        assert count_parameters(net) == formula == sum(q.size for q in net.parameters())


@pytest.mark.book
@pytest.mark.claim("network-exercise-deeper")
def test_exercise_deeper_networks_backpropagate_correctly(run_page):
    """The page's worst error for [2, 4, 4, 1] is below 1e-7; and networks of three to
    five layers ([2, 4, 4, 1] with other seeds, [2, 4, 4, 4, 1], [3, 5, 4, 3, 2, 1]),
    built with the unchanged NeuralNetwork, have gradients that agree with a central
    difference of a cross-entropy written here to within 1e-5 (a bug gives 1e-2). The
    biases are set to small random numbers, so that no pre-activation sits on ReLU's
    kink at exactly 0 (the page's pitfall: a deep unit whose inputs are all off)."""
    assert run_page("network").glued["net_ex_deep_worst"] < 1e-7
    rng = np.random.default_rng(16)
    for sizes in ([2, 4, 4, 1], [2, 4, 4, 1], [2, 4, 4, 4, 1], [3, 5, 4, 3, 2, 1]):
        acts = [ReLU()] * (len(sizes) - 2) + [Sigmoid()]
        net = NeuralNetwork(sizes, acts, rng=rng, init="he")
        for layer in net.layers:
            layer.bias[...] = rng.normal(0.0, 0.1, layer.bias.shape)
        X = rng.standard_normal((8, sizes[0]))
        y = rng.integers(0, 2, size=(8, 1)).astype(float)
        grads, dx = net.gradients(BCE.backward(net.forward(X), y))
        assert len(grads) == 2 * (len(sizes) - 1)

        def f():
            return bce(net.forward(X), y)

        for grad, parameter in zip(grads, net.parameters()):
            assert worst_relative_error(grad, central_difference(f, parameter)) < 1e-5, sizes
        assert worst_relative_error(dx, central_difference(f, X)) < 1e-5, sizes


@pytest.mark.book
@pytest.mark.claim("network-exercise-in-place")
def test_exercise_a_rebinding_update_never_moves_the_network(run_page):
    """The page's largest change is exactly 0 with new arrays and positive in place; on
    five random networks a rebinding loop written here leaves every parameter bit for
    bit as it was over five epochs, so the loss is the same at every epoch, while
    SGD.step changes them and keeps the same array objects in the layers."""
    g = run_page("network").glued
    assert g["net_ex_rebound"] == 0.0 and g["net_ex_in_place"] > 0
    for seed in range(5):
        net, X, y = random_network(seed)
        before = [q.copy() for q in net.parameters()]
        losses = []
        for _ in range(5):
            losses.append(bce(net.forward(X), y))
            grads, _ = net.gradients(BCE.backward(net.forward(X), y))
            for parameter, grad in zip(net.parameters(), grads):
                parameter = parameter - 0.5 * grad  # noqa: F841 (the mistake, on purpose)
        assert all(np.array_equal(a, b) for a, b in zip(net.parameters(), before))
        assert len(set(losses)) == 1
        arrays = [layer.weights for layer in net.layers]
        SGD(0.5).step(net.parameters(), grads)
        assert all(layer.weights is a for layer, a in zip(net.layers, arrays))
        assert any(not np.array_equal(a, b) for a, b in zip(net.parameters(), before))


@pytest.mark.book
@pytest.mark.claim("network-exercise-bce-clip")
def test_exercise_the_formula_fails_where_the_sigmoid_rounds_to_one(run_page):
    """A 50-digit sigmoid rounds to exactly 1.0 in float64 at z = 38 and above (not
    yet at z = 37), so 1 - p is 0 there: the formula as written gives nan for the target 1 and
    inf for the target 0, while BinaryCrossEntropy's gradient stays finite and at most
    1/(n eps); the page's glued values are these: p = 1, two non-finite results, and
    1/(2 eps) for the target 0."""
    g = run_page("network").glued
    eps = np.finfo(np.float64).eps
    assert exact_sigmoid(37.0) < 1.0 and exact_sigmoid(38.0) == 1.0
    assert g["net_ex_edge_p"] == 1.0 and g["net_ex_edge_nonfinite"] == 2
    assert g["net_ex_edge_clipped_big"] == 1 / (2 * eps)
    for z in (38.0, 40.0, 100.0, 700.0):
        p = np.array([[exact_sigmoid(z)]])
        assert p[0, 0] == 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            assert np.isnan(-(1 / p - 0 / (1 - p)))[0, 0]
            assert np.isinf(-(0 / p - 1 / (1 - p)))[0, 0]
    rng = np.random.default_rng(17)
    for n in (1, 2, 8):
        p = rng.choice([0.0, 1.0, 1e-300, 1 - 1e-17], size=(n, 1))
        y = rng.integers(0, 2, size=(n, 1)).astype(float)
        grad = BCE.backward(p, y)
        assert np.all(np.isfinite(grad)) and np.all(np.abs(grad) <= 1 / (n * eps) * 1.01)


@pytest.mark.book
@pytest.mark.claim("network-exercise-bce-delta")
def test_exercise_the_chain_rule_loses_a_saturated_output_and_delta_keeps_it(run_page):
    """Wherever the sigmoid has rounded to 1 (z from 38 to 700), the chain-rule product
    dL/dp * sigmoid'(z) for the target 0 is exactly 0, while (p - y)/n from a 50-digit
    sigmoid is 1/n; BinaryCrossEntropy.delta, on a sigmoid layer given those
    pre-activations, returns that value. The page's glued values are 0 and 1/2."""
    g = run_page("network").glued
    assert g["net_ex_edge_chain"] == 0.0 and g["net_ex_edge_delta"] == 0.5
    z = np.array([[38.0], [40.0], [100.0], [700.0]])
    n = len(z)
    target = np.zeros_like(z)
    p = Sigmoid.forward(z)
    assert np.all(BCE.backward(p, target) * Sigmoid.backward(z) == 0.0)
    layer = Layer(1, 1, Sigmoid(), rng=0)
    layer.weights[...] = 1.0
    layer.bias[...] = 0.0
    layer.forward(z)
    _, delta = BCE.delta(layer, target)
    expected = np.array([[exact_sigmoid(float(v)) / n] for v in z[:, 0]])
    np.testing.assert_allclose(delta, expected, rtol=1e-15)
    assert np.all(delta == 1 / n)


@pytest.mark.book
@pytest.mark.claim("network-exercise-unit-off", "network-exercise-unit-off-numeric")
def test_exercise_a_unit_that_is_off_gets_no_gradient(run_page):
    """An independent route for the changed 2-2-1 example (its weights read from the
    page): in plain Python floats, the second hidden unit's pre-activation is negative,
    and the central differences of the plain-Python loss with respect to that unit's
    bias (its delta), its two incoming weights and its outgoing weight are exactly 0,
    as the page's glued package values are; the first unit's are not 0 and match the
    glued values to 1e-8."""
    g = run_page("network").glued
    reference = _python_trace(g["set_net_ex_off_example"])
    assert reference["z1"][1] < 0 < reference["z1"][0]
    assert g["net_ex_off_z1"] == pytest.approx(reference["z1"][1], abs=1e-12)
    zero = {"delta1": [1], "dw1": [1, 3], "dw2": [1]}
    for name, indices in zero.items():
        for i, value in enumerate(reference[name]):
            glued = g[f"net_ex_off_{name}_{i}"]
            if i in indices:
                assert value == 0.0 and glued == 0.0, (name, i)
            else:
                assert abs(value) > 1e-3 and glued == pytest.approx(value, abs=1e-8), (name, i)
