"""The chapter-code page (book/chapter_code.md): the chapter's code it shows is the file
the tests replay, and what it says about replaying the chapter's run holds.

The chapter's code is ``tests/seed_chapter.py`` (see its docstring), loaded the way
``tests/test_faithful_port.py`` loads it. Every run of it seeds NumPy's global random
state, as the chapter does; it is saved and restored around each run.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import io
import math
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

import scratchnet.activations as scratchnet_activations
from conftest import ROOT
from scratchnet import (
    BinaryCrossEntropy,
    NeuralNetwork,
    ReLU,
    Sigmoid,
    train,
    xor,
)
from independent import exact_sigmoid, load_seed_chapter

PAGE = ROOT / "book" / "chapter_code.md"
SEED_FILE = ROOT / "tests" / "seed_chapter.py"
EPOCHS, LEARNING_RATE, SEED = 10000, 0.1, 42
# Two seeds whose run learns XOR and one whose run does not, each run for 3,000 epochs.
OTHER_SEEDS, OTHER_EPOCHS = (1, 2, 3), 3000


# ----------------------------------------------------------------------------- helpers


def chapter_run(chapter, seed=SEED, epochs=EPOCHS):
    """The chapter's run: ``run_seed()`` as printed, or its source with only the seed and
    the number of epochs changed. Returns losses, predictions, network, printed text."""
    run_seed = chapter.run_seed
    if (seed, epochs) != (SEED, EPOCHS):
        source = textwrap.dedent(inspect.getsource(chapter.run_seed))
        for old, new in [("np.random.seed(42)", f"np.random.seed({seed})"),
                         ("epochs = 10000", f"epochs = {epochs}")]:
            assert source.count(old) == 1, old
            source = source.replace(old, new)
        namespace = dict(vars(chapter))
        exec(compile(source, str(SEED_FILE), "exec"), namespace)
        run_seed = namespace["run_seed"]
    state = np.random.get_state()
    try:
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            losses, predictions, network = run_seed()
    finally:
        np.random.set_state(state)
    return np.array(losses), predictions, network, printed.getvalue()


def parameters(network):
    return [p for layer in network.layers for p in (layer.weights, layer.bias)]


def scratchnet_run(seed=SEED, epochs=EPOCHS, sigmoid=None, loss=None):
    """scratchnet's ``train`` from ``RandomState(seed)``, printing like the chapter."""
    X, y = xor()
    network = NeuralNetwork([2, 4, 1], [ReLU(), sigmoid or Sigmoid()],
                            rng=np.random.RandomState(seed))
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        losses = train(network, X, y, epochs=epochs, learning_rate=LEARNING_RATE,
                       loss=loss, print_every=1000)
    return losses, network.forward(X), network, printed.getvalue()


def relative_difference(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.maximum(np.abs(a), np.abs(b))
    return float(np.max(np.abs(a - b) / np.where(scale > 0, scale, 1)))


def literalincludes(text):
    """(path, {option: value}) of every literalinclude directive of a MyST page."""
    found = []
    for match in re.finditer(r"^```\{literalinclude\}\s+(\S+)\n((?::[\w-]+:.*\n)*)", text,
                             re.MULTILINE):
        options = dict(re.findall(r"^:([\w-]+):\s*(.*)$", match.group(2), re.MULTILINE))
        found.append((match.group(1), options))
    return found


def defined_names(path):
    """Every class and function of a Python file, as dotted names (``Layer.forward``)."""
    names = set()

    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.ClassDef, ast.FunctionDef)):
                names.add(prefix + child.name)
                walk(child, prefix + child.name + ".")

    walk(ast.parse(Path(path).read_text(encoding="utf-8")), "")
    return names


@pytest.fixture(scope="module")
def chapter():
    return load_seed_chapter()


@pytest.fixture(scope="module")
def chapter_seed_run(chapter):
    return chapter_run(chapter)


# ----------------------------------------------------------------------------- the page


@pytest.mark.book
def test_page_runs_without_stderr(run_page):
    assert run_page("chapter_code").stream_text("stderr") == ""


@pytest.mark.book
def test_page_shows_the_comparisons_it_describes(run_page):
    out = run_page("chapter_code").stream_text()
    assert "chapter's formulas put back, every bit the same: True" in out
    assert "scratchnet's formulas, every bit the same: False" in out
    assert "printed lines the same: True" in out
    assert out.startswith("Epoch 0, Loss: 0.6931\n")


# ----------------------------------------------------------------------------- claims


@pytest.mark.claim("chapter-code-shown-is-replayed")
def test_the_chapter_code_shown_is_the_file_the_tests_replay():
    """Every block of the chapter's code on the page is a literalinclude of
    tests/seed_chapter.py, the very file test_faithful_port.py loads and runs; together the
    blocks show every class and function of that file, and every object or marker the page
    includes (from the chapter or from scratchnet) exists in its file."""
    import test_faithful_port

    includes = literalincludes(PAGE.read_text(encoding="utf-8"))
    assert includes, "the page includes no code"
    book = PAGE.parent
    shown_from_chapter = set()
    for target, options in includes:
        path = (book / target).resolve()
        assert path.is_file(), target
        assert path.parent.name in ("tests", "scratchnet"), target
        if path.parent.name == "tests":
            assert path == SEED_FILE, f"{target}: the chapter's code comes from seed_chapter.py"
            assert set(options) == {"pyobject"}, f"{target}: shown whole, by name"
            shown_from_chapter.add(options["pyobject"])
        text = path.read_text(encoding="utf-8")
        if "pyobject" in options:
            assert options["pyobject"] in defined_names(path), options["pyobject"]
        for marker in ("start-at", "end-at", "start-after", "end-before"):
            if marker in options:
                assert text.count(options[marker]) == 1, (target, options[marker])
    top_level = {name for name in defined_names(SEED_FILE) if "." not in name}
    assert shown_from_chapter == top_level
    # the file shown is the file the faithful-port test replays
    replayed = test_faithful_port.load_seed_chapter()
    assert Path(replayed.__file__).resolve() == SEED_FILE
    assert callable(replayed.run_seed) and replayed.NeuralNetwork.__module__ == "seed_chapter"


def chapter_sigmoid(chapter):
    """The chapter's Sigmoid (its forward and backward) as a scratchnet activation."""

    class ChapterSigmoid(Sigmoid):
        forward = staticmethod(chapter.Sigmoid.forward)
        backward = staticmethod(chapter.Sigmoid.backward)

    return ChapterSigmoid()


class ChapterLoss(BinaryCrossEntropy):
    """The two expressions of the chapter's loop, as a loss that ``train`` accepts."""

    def value(self, output, y):
        return -np.mean(y * np.log(output + 1e-15) + (1 - y) * np.log(1 - output + 1e-15))

    def gradient(self, output, y):
        return -(y / (output + 1e-15) - (1 - y) / (1 - output + 1e-15)) / len(output)


@pytest.mark.claim("chapter-code-replays-bit-for-bit")
def test_with_the_chapter_formulas_scratchnet_replays_the_run_bit_for_bit(
        chapter, chapter_seed_run):
    """Runs the chapter's own code (tests/seed_chapter.py) and scratchnet's train with the
    chapter's sigmoid and loss expressions put back: every epoch's loss, every final weight
    and bias, the final outputs and the printed lines are equal to the last bit, for the
    chapter's seed 42 over 10,000 epochs and for three other seeds (the chapter's loop with
    only the seed and the number of epochs changed)."""
    runs = [(SEED, EPOCHS, chapter_seed_run)]
    runs += [(s, OTHER_EPOCHS, chapter_run(chapter, s, OTHER_EPOCHS)) for s in OTHER_SEEDS]
    for seed, epochs, (losses, predictions, network, printed) in runs:
        ours = scratchnet_run(seed, epochs, chapter_sigmoid(chapter), ChapterLoss())
        assert ours[0].shape == losses.shape == (epochs,)
        np.testing.assert_array_equal(ours[0], losses, err_msg=f"seed {seed}")
        for a, b in zip(parameters(ours[2]), parameters(network)):
            np.testing.assert_array_equal(a, b, err_msg=f"seed {seed}")
        np.testing.assert_array_equal(ours[1], predictions)
        assert ours[3] == printed
        # not a trivial agreement: training moved the weights far from their start
        start = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(seed))
        assert max(np.abs(a - b).max() for a, b in zip(parameters(network),
                                                        parameters(start))) > 0.1


@pytest.mark.claim("chapter-code-train-agrees-to-rounding")
def test_with_its_own_formulas_scratchnet_differs_only_by_rounding(chapter, chapter_seed_run):
    """Runs the chapter's own code and scratchnet's train with its own sigmoid and loss.
    Seed 42: the runs are not identical, yet every loss, weight, bias and final output
    agrees to a relative 1e-13 or better, and the printed progress lines are the same
    characters. Three other seeds (two runs that learn XOR, one that does not) agree in
    the same way, to a relative 1e-10: training amplifies the rounding differences, most in
    the runs that learn, but they stay at the level of rounding."""
    worst = seed_42_worst_relative_difference(chapter_seed_run)
    # "differs": the stable sigmoid and clipped loss round differently
    assert 0 < worst < 10.0 ** -REPLAY_DIGITS
    for seed in OTHER_SEEDS:
        other = worst_relative_difference(chapter_run(chapter, seed, OTHER_EPOCHS),
                                          scratchnet_run(seed, OTHER_EPOCHS))
        assert 0 < other < 1e-10, f"seed {seed}"


def worst_relative_difference(theirs, ours):
    """The largest relative difference between two runs; their printed lines must match."""
    losses, predictions, network, printed = theirs
    assert ours[3] == printed
    pairs = [(ours[0], losses), (ours[1], predictions)]
    pairs += list(zip(parameters(ours[2]), parameters(network)))
    return max(relative_difference(a, b) for a, b in pairs)


def seed_42_worst_relative_difference(chapter_seed_run):
    return worst_relative_difference(chapter_seed_run, scratchnet_run())


# What this module's own replay of seed 42 shows, as a fixed bound: every number agrees
# with the chapter's to a relative 1e-13, that is to 13 significant digits.
REPLAY_DIGITS = 13


@pytest.mark.book
def test_page_glues_the_digits_the_runs_agree_to(chapter_seed_run, run_page):
    # the page's "agrees ... to N significant digits" claims no more digits than the fixed
    # bound this module's replay checks (and not fewer than 12), not the page's own formula
    digits = run_page("chapter_code").glued["chapter_code_digits"]
    worst = seed_42_worst_relative_difference(chapter_seed_run)
    assert worst < 10.0 ** -REPLAY_DIGITS
    assert 12 <= digits <= REPLAY_DIGITS


@pytest.mark.claim("chapter-code-sigmoid-no-overflow")
def test_the_chapter_sigmoid_overflows_and_scratchnet_s_does_not(chapter):
    """With NumPy told to raise on overflow, the chapter's sigmoid raises for very negative
    inputs, while scratchnet's (and its derivative) raise nothing from the largest negative
    to the largest positive double, and agree with sigma computed in 50-digit decimal
    arithmetic to within rounding at 2,000 random points and at the extremes."""
    very_negative = np.array([-1000.0, -800.0, -710.0])
    with np.errstate(over="raise"):
        with pytest.raises(FloatingPointError, match="overflow"):
            chapter.Sigmoid.forward(very_negative)
    finite = np.finfo(np.float64).max
    rng = np.random.default_rng(2024)
    x = np.concatenate([[-finite, -1e300, -1000.0, -745.0, -710.0, 0.0, 710.0, 1e300, finite],
                        rng.uniform(-740, 740, 2000)])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = Sigmoid.forward(x)
        d = Sigmoid.backward(x)
    assert np.all((s >= 0) & (s <= 1)) and np.all((d >= 0) & (d <= 0.25))
    exact = np.array([exact_sigmoid(v) for v in x])
    ulps = np.abs(s - exact) / np.spacing(np.maximum(exact, np.finfo(np.float64).tiny))
    assert ulps.max() <= 64
    assert s[0] == 0.0 and s[8] == 1.0  # the largest negative and positive doubles
    assert math.isclose(s[4], exact_sigmoid(-710.0), rel_tol=1e-12)


@pytest.mark.claim("chapter-code-relu-derivative-dtype")
def test_the_chapter_relu_derivative_is_integer_and_scratchnet_s_keeps_the_dtype(chapter):
    """On float32 and float64 pre-activations, the chapter's ReLU.backward returns an
    integer array, and a float32 gradient multiplied by it becomes float64 (as in the
    chapter's Layer.backward); scratchnet's ReLU.backward returns the input's dtype, with
    the same values, so a float32 gradient stays float32."""
    for dtype in (np.float32, np.float64):
        z = np.array([[-1.5, 0.0, 2.0]], dtype=dtype)
        theirs, ours = chapter.ReLU.backward(z), ReLU.backward(z)
        assert theirs.dtype.kind == "i"
        assert ours.dtype == dtype
        np.testing.assert_array_equal(ours, theirs)
    grad = np.ones((1, 3), dtype=np.float32)
    z = np.array([[-1.5, 0.0, 2.0]], dtype=np.float32)
    assert (grad * chapter.ReLU.backward(z)).dtype == np.float64
    assert (grad * ReLU.backward(z)).dtype == np.float32


def method_tree(function) -> str:
    """A method's syntax tree without its docstring and decorators: its code, as written."""
    node = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return ast.dump(ast.Module(body=[ast.FunctionDef(
        name=node.name, args=node.args, body=body, decorator_list=[], returns=node.returns,
        type_comment=None)], type_ignores=[]))


def class_methods(cls) -> set:
    """The functions a class defines in its own body (not inherited)."""
    return {name for name, value in vars(cls).items()
            if inspect.isfunction(value) or isinstance(value, staticmethod)}


@pytest.mark.claim("chapter-code-activation-changes")
def test_only_two_activation_methods_compute_differently(chapter):
    """Compared method by method as syntax trees (docstrings left out): of the chapter's
    activation methods, scratchnet writes only Sigmoid.forward, ReLU.backward and
    ReLU.forward differently. On 10,000 random inputs and the extremes, ReLU.forward
    gives the chapter's values, signs of zeros aside, and differs only at -0.0, while the
    other two give other arrays. scratchnet's classes add exactly __eq__, __hash__ and
    __repr__ to Activation and nothing to ReLU and Sigmoid, and fit and train_batch
    call the chapter's backward (counted by a subclass)."""
    from scratchnet import NetworkBatch, fit, train_batch

    changed, added = set(), {}
    for name in ["Activation", "ReLU", "Sigmoid"]:
        theirs, ours = getattr(chapter, name), getattr(scratchnet_activations, name)
        for method in class_methods(theirs):
            assert method in class_methods(ours), f"{name}.{method}"
            if method_tree(getattr(theirs, method)) != method_tree(getattr(ours, method)):
                changed.add(f"{name}.{method}")
        added[name] = class_methods(ours) - class_methods(theirs)
    assert changed == {"Sigmoid.forward", "ReLU.backward", "ReLU.forward"}
    assert added == {"Activation": {"__eq__", "__hash__", "__repr__"},
                     "ReLU": set(), "Sigmoid": set()}

    rng = np.random.default_rng(5)
    big = np.finfo(np.float64).max
    x = np.concatenate([rng.standard_normal(10000) * 10.0 ** rng.integers(-300, 300, 10000),
                        [-0.0, 0.0, -big, big, -np.inf, np.inf, 5e-324, -5e-324]])
    ours, theirs = ReLU.forward(x), chapter.ReLU.forward(x)
    assert np.array_equal(ours, theirs)  # == treats -0.0 and 0.0 as equal
    sign_differs = np.signbit(ours) != np.signbit(theirs)
    assert np.array_equal(sign_differs, (x == 0) & np.signbit(x))
    assert sign_differs.sum() == 1
    with np.errstate(over="ignore"):
        assert not np.array_equal(Sigmoid.forward(x), chapter.Sigmoid.forward(x))
    assert ReLU.backward(x).dtype != chapter.ReLU.backward(x).dtype

    class CountingSigmoid(Sigmoid):
        calls = 0

        @staticmethod
        def backward(x):
            CountingSigmoid.calls += 1
            return Sigmoid.backward(x)

    X, y = xor()
    fit(NeuralNetwork([2, 4, 1], [CountingSigmoid(), Sigmoid()], rng=0), X, y, epochs=3)
    assert CountingSigmoid.calls >= 3
    CountingSigmoid.calls = 0
    train_batch(NetworkBatch([2, 4, 1], [CountingSigmoid(), Sigmoid()], rngs=range(2)),
                X, y, epochs=3)
    assert CountingSigmoid.calls >= 3
