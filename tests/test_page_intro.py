"""The intro page (book/intro.md): each of its promises has the mechanism that enforces it,
its list of pages is the book's, its commands are the README's, and its results hold.

The promises are the bold-headed bullets of "What this book adds". Each heading must have
an entry in ``PROMISES`` naming what enforces it; a new promise without an entry fails
``test_every_promise_has_an_enforcing_mechanism``.
"""

from __future__ import annotations

import ast
import contextlib
import io
import random
import re
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

import scratchnet
from conftest import ROOT
from scratchnet import NeuralNetwork, ReLU, Sigmoid, Tanh, train, xor

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import claims  # noqa: E402
from independent import load_seed_chapter

INTRO = ROOT / "book" / "intro.md"
SEED_FILE = ROOT / "tests" / "seed_chapter.py"


def section(text: str, heading: str) -> str:
    """The body of the ``## heading`` section of a page, up to the next ``## ``."""
    start = text.index(f"## {heading}\n") + len(heading) + 4
    end = text.find("\n## ", start)
    return text[start:] if end < 0 else text[start:end]


def promise_bullets() -> dict:
    """The intro's promises: each bullet's bold heading and the bullet's text."""
    body = section(INTRO.read_text(encoding="utf-8"), "What this book adds")
    items = re.split(r"^- ", body, flags=re.MULTILINE)[1:]
    bullets = {}
    for item in items:
        match = re.match(r"\*\*(.+?)\*\*", item)
        assert match, f"a promise without a bold heading: {item[:60]!r}"
        bullets[match.group(1)] = item
    return bullets


def config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def module_tests(path: Path) -> dict:
    """The test functions of a test module, by name, with their source."""
    text = path.read_text(encoding="utf-8")
    return {
        node.name: ast.get_source_segment(text, node)
        for node in ast.parse(text).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }


# ---------------------------------------------------------------- promises and mechanisms


def numbers_come_from_the_build(bullet: str) -> None:
    """Pages are executed by every build, strictly; a test scans the built pages."""
    execute = config()["execute"]
    # myst-nb takes the pages from its cache, which book/_ext/page_runner.py empties and
    # fills with this build's executions of every page Sphinx reads
    assert execute["execute_notebooks"] == "cache"
    assert "page_runner" in config()["sphinx"]["local_extensions"]
    assert execute["allow_errors"] is False and execute["raise_on_error"] is True
    assert execute["stderr_output"] == "error"
    # changing the package re-executes every page
    assert "book_guard" in config()["sphinx"]["local_extensions"]
    # the scan of the built pages
    assert "tests/test_typed_numbers.py" in bullet
    scan = module_tests(ROOT / "tests" / "test_typed_numbers.py")
    assert any("built_book" in source and "typed_numbers(" in source
               for source in scan.values()), "no test scans the built pages"
    # the allow-list holds only what the promise names: the layer sizes 2 and 4, 0 and 1,
    # the weight scale, the learning rate, the epochs, the printing interval, the seed and
    # the 0.5 threshold (years of citations are skipped by the scan itself)
    from typed_numbers import ALLOWED

    named = {"0", "1", "2", "4", "0.01", "0.1", "10,000", "10000", "1,000", "1000", "42",
             "0.5"}
    assert set(ALLOWED) <= named, set(ALLOWED) - named
    for words in ("layer", "weight scale", "learning rate", "epochs", "printing interval",
                  "seed", "0.5 threshold", "years of citations"):
        assert words in " ".join(bullet.split()), words
    # glue is how numbers get into the text
    assert "myst_nb.glue" in bullet


def results_are_marked_and_tested(bullet: str) -> None:
    """The claims extension is on, its rules run in the tests, and the claims page lists them."""
    assert "claims" in config()["sphinx"]["local_extensions"]
    checks = module_tests(ROOT / "tests" / "test_claims.py")
    assert any("claims.problems(ROOT) == []" in source for source in checks.values())
    assert "{claim-index}" in (ROOT / "book" / "claims.md").read_text(encoding="utf-8")
    assert "{doc}`claims`" in bullet
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s*- file: book/claims\s*$", toc, re.MULTILINE)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"claim(*ids)' in pyproject and "--strict-markers" in pyproject
    # the words the promise quotes as examples are result words of the lint
    quoted = [" ".join(words.split()) for words in re.findall(r'"([^"]+)"', bullet)]
    assert quoted
    for word in quoted:
        assert claims.RESULT_PATTERN.fullmatch(word), f"{word!r} is not a result word"


def reports_what_happens(bullet: str) -> None:
    """The bullet's statements about the chapter's run are claims, each with a test."""
    marked = [claim_id for claim_id, _ in claims.claim_marks(bullet)]
    assert len(marked) >= 2
    tests = claims.claim_tests(ROOT)
    for claim_id in marked:
        assert claim_id in tests, f"{claim_id} has no test"


PROMISES = {
    "Every number comes from the build.": numbers_come_from_the_build,
    "Every result is marked and tested.": results_are_marked_and_tested,
    "It reports what actually happens.": reports_what_happens,
}


def test_every_promise_has_an_enforcing_mechanism():
    bullets = promise_bullets()
    assert list(bullets) == list(PROMISES), (
        "each promise of the intro needs an entry in PROMISES naming what enforces it")
    for heading, check in PROMISES.items():
        check(bullets[heading])


def test_a_promise_without_a_mechanism_is_caught(monkeypatch, tmp_path):
    # the promise test is not vacuous: an added bullet fails it
    page = tmp_path / "intro.md"
    text = INTRO.read_text(encoding="utf-8").replace(
        "- **Every number comes from the build.**",
        "- **Every page loads in a second.** Fast.\n- **Every number comes from the build.**")
    page.write_text(text, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "INTRO", page)
    with pytest.raises(AssertionError, match="needs an entry in PROMISES"):
        test_every_promise_has_an_enforcing_mechanism()


# ---------------------------------------------------------------- pages and commands


def test_the_list_of_pages_is_the_table_of_contents():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    chapters = [c["file"].removeprefix("book/")
                for part in toc["parts"] for c in part["chapters"]]
    listed = re.findall(r"\{doc\}`([\w/]+)`",
                        section(INTRO.read_text(encoding="utf-8"), "How to read it"))
    assert listed == chapters


def test_the_commands_are_the_readme_s():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = INTRO.read_text(encoding="utf-8")
    commands = [line.strip() for block in re.findall(r"```bash\n(.*?)```", text, re.DOTALL)
                for line in block.splitlines() if line.strip()]
    assert len(commands) == 3
    for command in commands:
        assert command in readme, command
    running = section(text, "Running it yourself")
    assert "jupyter-book build . -W" in running and "{doc}`claims`" in running


@pytest.mark.book
def test_page_runs_without_stderr(run_page):
    assert run_page("intro").stream_text("stderr") == ""


@pytest.mark.book
def test_page_prints_that_the_weights_are_the_chapter_s(run_page):
    assert "the chapter's weights, every bit the same: True" in run_page("intro").stream_text()


@pytest.mark.book
def test_intro_prints_the_versions_it_was_built_with(run_page):
    out = run_page("intro").stream_text()
    assert f"scratchnet {scratchnet.__version__}" in out
    assert f"NumPy      {np.__version__}" in out


# ---------------------------------------------------------------- claims


@contextlib.contextmanager
def global_state_restored():
    state = np.random.get_state()
    try:
        yield
    finally:
        np.random.set_state(state)


def weights(network):
    return [layer.weights for layer in network.layers]


def top_level_names(path: Path) -> set:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def page_code(text: str) -> list:
    """The Python of every code cell and python fence of a page (IPython magics dropped)."""
    blocks = re.findall(r"^```(?:\{code-cell\}[^\n]*|python)\n(.*?)^```", text,
                        re.DOTALL | re.MULTILINE)
    return ["\n".join(line for line in block.splitlines()
                      if not line.lstrip().startswith(("%", "!", ":")))
            for block in blocks]


@pytest.mark.claim("intro-shown-code-is-the-package")
def test_shown_code_is_included_from_the_package():
    """Every literalinclude on every page names a file that exists and, with :pyobject:,
    an object defined in it; and no code on any page defines a class or function under
    the name of one of scratchnet's own (the top-level names of all its modules), so the
    package's code is shown from its files, never retyped."""
    package_names = set().union(*(top_level_names(p)
                                  for p in (ROOT / "scratchnet").glob("*.py")))
    assert {"Layer", "NeuralNetwork", "train", "fit", "as_rng"} <= package_names
    n_includes = 0
    for page in sorted((ROOT / "book").rglob("*.md")):
        if "_build" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        for target, options in re.findall(
                r"^```\{literalinclude\}\s+(\S+)\n((?::[\w-]+:.*\n)*)", text, re.MULTILINE):
            path = (page.parent / target).resolve()
            assert path.is_file(), f"{page.name}: {target}"
            n_includes += 1
            pyobject = re.search(r"^:pyobject:\s*(\S+)", options, re.MULTILINE)
            if pyobject:
                owner, _, member = pyobject.group(1).rpartition(".")
                tree = ast.parse(path.read_text(encoding="utf-8"))
                scope = tree.body
                if owner:
                    scope = next(n.body for n in tree.body
                                 if isinstance(n, ast.ClassDef) and n.name == owner)
                assert any(isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == member
                           for n in scope), f"{page.name}: {pyobject.group(1)} in {target}"
        for code in page_code(text):
            for node in ast.parse(code).body:
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    assert node.name not in package_names, (
                        f"{page.name} retypes scratchnet's {node.name}")
    assert n_includes >= 20


@pytest.mark.claim("intro-seed42-does-not-learn")
def test_the_chapter_run_as_printed_does_not_learn_xor():
    """Runs the chapter's own code, independently of scratchnet: tests/seed_chapter.py,
    its classes and loop as printed, with its global seed 42. After its 10,000 epochs at
    least one of the four outputs is on the wrong side of 0.5 (the run has not learned
    XOR), and scratchnet's train from RandomState(42) gives the same four answers."""
    chapter = load_seed_chapter()
    with global_state_restored(), contextlib.redirect_stdout(io.StringIO()):
        _, predictions, _ = chapter.run_seed()
    X, y = xor()
    answers = predictions > 0.5
    assert not np.array_equal(answers, y == 1)
    network = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(42))
    train(network, X, y, epochs=10000, learning_rate=0.1)
    np.testing.assert_array_equal(network.forward(X) > 0.5, answers)


@pytest.mark.claim("intro-chapter-configuration-learns-half")
def test_the_chapter_configuration_learns_xor_in_about_half_the_runs():
    """Trains the chapter's configuration (2-4-1, ReLU then sigmoid, weights randn * 0.01,
    learning rate 0.1, 10,000 epochs) from 400 seeds that the diagnosis page does not use,
    RandomState(1000) to RandomState(1399). A run learns XOR when all four outputs are on
    the right side of 0.5; the 95% Wilson interval of that rate lies within 35% to 65%."""
    from scratchnet.experiments import Config, run_experiment

    X, y = xor()
    result = run_experiment(Config((2, 4, 1), (ReLU(), Sigmoid())), X, y, range(1000, 1400))
    assert result.rate.trials == 400
    assert 0.35 <= result.rate.low and result.rate.high <= 0.65, str(result.rate)


@pytest.mark.claim("intro-other-draws-change-the-chapter-weights")
def test_one_other_draw_changes_every_weight_of_the_chapter_network():
    """With the chapter's own Layer and NeuralNetwork (tests/seed_chapter.py): after
    np.random.seed(s), a single other draw from the global stream (a uniform number, a
    normal number or an integer) before the network is built changes every one of its
    weights, for the chapter's seed 42 and for seed 7."""
    chapter = load_seed_chapter()

    def network(seed, draw=None):
        np.random.seed(seed)
        if draw is not None:
            draw()
        return chapter.NeuralNetwork([2, 4, 1], [chapter.ReLU(), chapter.Sigmoid()])

    with global_state_restored():
        for seed in (42, 7):
            reference = weights(network(seed))
            again = weights(network(seed))
            for a, b in zip(again, reference):
                np.testing.assert_array_equal(a, b)  # the seed alone reproduces them
            for draw in (np.random.random, np.random.randn, lambda: np.random.randint(10)):
                for a, b in zip(weights(network(seed, draw)), reference):
                    assert np.all(a != b), (seed, draw)


@pytest.mark.claim("intro-rng-gives-the-chapter-weights")
def test_random_state_gives_the_chapter_weights_to_the_last_bit():
    """For seeds other than the page's 42 (7 and 2024) and for a deeper network, the
    chapter's own NeuralNetwork built right after np.random.seed(s) and scratchnet's built
    from RandomState(s), after a thousand other draws from the global stream, have the
    same weights to the last bit."""
    chapter = load_seed_chapter()
    shapes = [
        ([2, 4, 1], lambda m: [m.ReLU(), m.Sigmoid()]),
        ([3, 5, 2, 1], lambda m: [m.ReLU(), m.ReLU(), m.Sigmoid()]),
    ]
    with global_state_restored():
        for seed in (7, 2024):
            for sizes, activations in shapes:
                np.random.seed(seed)
                theirs = chapter.NeuralNetwork(sizes, activations(chapter))
                np.random.standard_normal(1000)
                ours = NeuralNetwork(sizes, activations(scratchnet),
                                     rng=np.random.RandomState(seed))
                assert len(weights(ours)) == len(weights(theirs)) == len(sizes) - 1
                for a, b in zip(weights(ours), weights(theirs)):
                    np.testing.assert_array_equal(a, b)


ALLOWED_NP_RANDOM = {"default_rng", "Generator", "RandomState", "SeedSequence",
                     "BitGenerator", "PCG64"}


def global_stream_calls(path: Path) -> list:
    """Uses of NumPy's global random functions (np.random.<f> other than the generator
    types) or of Python's random module in a source file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            inner = node.value
            if (inner.attr == "random" and isinstance(inner.value, ast.Name)
                    and inner.value.id in ("np", "numpy")
                    and node.attr not in ALLOWED_NP_RANDOM):
                found.append(f"{path.name}:{node.lineno}: np.random.{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module == "numpy.random":
            for alias in node.names:
                if alias.name not in ALLOWED_NP_RANDOM:
                    found.append(
                        f"{path.name}:{node.lineno}: from numpy.random import {alias.name}")
        if isinstance(node, ast.Import) and any(a.name == "random" for a in node.names):
            found.append(f"{path.name}:{node.lineno}: import random")
    return found


@pytest.mark.claim("intro-global-stream-untouched")
def test_scratchnet_leaves_the_global_random_state_alone(tmp_path):
    """Seeds NumPy's global stream (and Python's random module), then uses scratchnet the
    way the book does: builds layers and networks with every kind of rng (None, an int, a
    Generator, a RandomState) and initialisation, trains them with train and with fit
    (shuffled mini-batches from a fresh generator), makes and splits every data set, runs
    a many-seed experiment, checks gradients, records diagnostics, saves and loads. The
    global states afterwards are what they were before. The package's source, scanned,
    calls no function of NumPy's global stream."""
    from scratchnet import (Adam, Layer, check_network, circles, fit, load, moons, one_hot,
                            save, spirals, train_test_split)
    from scratchnet.diagnostics import Recorder, dead_units, layer_outputs
    from scratchnet.experiments import Config, run_experiment

    sources = sorted((ROOT / "scratchnet").glob("*.py"))
    assert len(sources) > 10
    assert [call for path in sources for call in global_stream_calls(path)] == []

    with global_state_restored():
        np.random.seed(123)
        random.seed(123)
        numpy_before, python_before = np.random.get_state(), random.getstate()

        X, y = xor()
        for rng in (None, 0, np.random.default_rng(1), np.random.RandomState(2)):
            for init in ("seed", "xavier", "he", 0.5):
                Layer(2, 3, Tanh(), rng=rng, init=init)
            network = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=rng)
            recorder = Recorder(every=10)
            train(network, X, y, epochs=50, learning_rate=0.1, callback=recorder)
        dead_units(network.layers[0].activation_input)
        layer_outputs(network, X)
        check_network(network, X, y)
        net = NeuralNetwork([2, 8, 3], [Tanh(), scratchnet.Identity()], rng=None,
                            init="xavier")
        data, labels = spirals(n_samples=60, rng=None)
        moons(n_samples=20, noise=0.1, rng=None)
        circles(n_samples=20, noise=0.05, rng=None)
        X_train, X_test, y_train, y_test = train_test_split(data, labels, rng=None)
        fit(net, X_train, one_hot(y_train, 3), loss=scratchnet.SoftmaxCrossEntropy(),
            optimizer=Adam(0.01), epochs=3, batch_size=8, rng=None)
        run_experiment(Config((2, 4, 1), (ReLU(), Sigmoid()), epochs=20), X, y, range(5))
        load(save(network, tmp_path / "net.npz"))

        numpy_after, python_after = np.random.get_state(), random.getstate()
    assert numpy_after[0] == numpy_before[0]
    np.testing.assert_array_equal(numpy_after[1], numpy_before[1])
    assert numpy_after[2:] == numpy_before[2:]
    assert python_after == python_before
