"""scratchnet replays the seed chapter's XOR run number for number.

tests/seed_chapter.py holds the chapter's original classes and training loop,
verbatim. It is run once per module (it seeds NumPy's global random state, which
is saved and restored around it), then scratchnet's path is compared with it:
same initial weights, same loss trajectory, same predictions, same printed lines.
"""

import contextlib
import io

import numpy as np
import pytest

import scratchnet
from scratchnet import NeuralNetwork, ReLU, Sigmoid, train
from independent import load_seed_chapter

EPOCHS = 10000
LEARNING_RATE = 0.1
SEED = 42


@pytest.fixture(scope="module")
def seed_run():
    """The chapter's own run: initial weights, losses, predictions, network, printed text."""
    chapter = load_seed_chapter()
    state = np.random.get_state()
    probe_before = np.random.RandomState()
    probe_before.set_state(state)
    try:
        # initial weights as the chapter draws them: the same global seed, the same two Layers
        np.random.seed(SEED)
        initial = chapter.NeuralNetwork([2, 4, 1], [chapter.ReLU(), chapter.Sigmoid()])
        initial_weights = [layer.weights.copy() for layer in initial.layers]

        stdout = io.StringIO()
        # The chapter's sigmoid, 1 / (1 + exp(-x)), does not overflow on this run (its
        # pre-activations stay small), so no warning filter is needed; warnings are errors.
        with contextlib.redirect_stdout(stdout):
            losses, predictions, network = chapter.run_seed()
    finally:
        np.random.set_state(state)
    # what the global stream produces next, compared with what it produced before the run
    probe_after = np.random.RandomState()
    probe_after.set_state(np.random.get_state())
    return {
        "global_stream_before": probe_before.random_sample(5),
        "global_stream_after": probe_after.random_sample(5),
        "initial_weights": initial_weights,
        "losses": np.array(losses),
        "predictions": predictions,
        "network": network,
        "printed": stdout.getvalue(),
        "chapter": chapter,
    }


@pytest.fixture(scope="module")
def scratchnet_run():
    state = np.random.get_state()
    X, y = scratchnet.xor()
    network = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(SEED))
    initial_weights = [layer.weights.copy() for layer in network.layers]
    losses = train(network, X, y, epochs=EPOCHS, learning_rate=LEARNING_RATE)
    after = np.random.get_state()
    return {
        "global_state_untouched": (
            after[0] == state[0] and np.array_equal(after[1], state[1]) and after[2:] == state[2:]
        ),
        "initial_weights": initial_weights,
        "losses": losses,
        "predictions": network.forward(X),
        "network": network,
    }


def test_seed_run_restores_global_random_state(seed_run):
    # the chapter's np.random.seed(42) must not leak into the other tests
    np.testing.assert_array_equal(seed_run["global_stream_after"], seed_run["global_stream_before"])


def test_scratchnet_does_not_touch_global_random_state(scratchnet_run):
    assert scratchnet_run["global_state_untouched"]


def test_chapter_classes_are_the_originals(seed_run):
    chapter = seed_run["chapter"]
    # the chapter's sigmoid is the naive formula; scratchnet's is the stable one
    x = np.linspace(-20, 20, 81)
    np.testing.assert_allclose(chapter.Sigmoid.forward(x), Sigmoid.forward(x), rtol=1e-14)
    np.testing.assert_array_equal(chapter.ReLU.forward(x), ReLU.forward(x))
    np.testing.assert_array_equal(chapter.ReLU.backward(x), ReLU.backward(x))
    with pytest.raises(AssertionError, match="Need activation for each layer"):
        chapter.NeuralNetwork([2, 4, 1], [chapter.ReLU()])


def test_same_initial_weights(seed_run, scratchnet_run):
    for ours, theirs in zip(scratchnet_run["initial_weights"], seed_run["initial_weights"]):
        np.testing.assert_array_equal(ours, theirs)
    # and they are the chapter's randn * 0.01, not zeros or another scale
    assert 0.001 < np.abs(seed_run["initial_weights"][0]).max() < 0.05


def test_same_loss_trajectory(seed_run, scratchnet_run):
    ours, theirs = scratchnet_run["losses"], seed_run["losses"]
    assert ours.shape == theirs.shape == (EPOCHS,)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9)
    # the trajectory is not flat: training did something in both
    assert theirs[-1] < theirs[0] - 0.1


def test_same_final_predictions(seed_run, scratchnet_run):
    np.testing.assert_allclose(scratchnet_run["predictions"], seed_run["predictions"], rtol=1e-9)
    assert seed_run["predictions"].shape == (4, 1)


def test_same_final_weights(seed_run, scratchnet_run):
    for ours, theirs in zip(scratchnet_run["network"].layers, seed_run["network"].layers):
        np.testing.assert_allclose(ours.weights, theirs.weights, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(ours.bias, theirs.bias, rtol=1e-9, atol=1e-12)


def test_seed_printed_its_progress(seed_run):
    # the reference text really is the chapter's loop printing every 1000 epochs
    losses = seed_run["losses"]
    expected = [f"Epoch {e}, Loss: {losses[e]:.4f}" for e in range(0, EPOCHS, 1000)]
    assert seed_run["printed"].splitlines() == expected
    assert expected[0] == "Epoch 0, Loss: 0.6931"  # log 2: near-zero weights predict 0.5


def test_printed_progress_matches_the_chapter(seed_run, scratchnet_run, capsys):
    # train(..., print_every=1000) prints exactly what the chapter's loop printed
    X, y = scratchnet.xor()
    network = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(SEED))
    losses = train(network, X, y, epochs=EPOCHS, learning_rate=LEARNING_RATE, print_every=1000)
    assert capsys.readouterr().out == seed_run["printed"]
    # printing changes nothing in the arithmetic
    np.testing.assert_array_equal(losses, scratchnet_run["losses"])
