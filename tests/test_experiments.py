"""Success-rate experiments: run_experiment, run_experiments and Result."""

from __future__ import annotations

import dataclasses
import functools
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from scratchnet import (
    NetworkBatch,
    NeuralNetwork,
    ReLU,
    Sigmoid,
    Tanh,
    learned,
    success_rate,
    train,
    train_batch,
    xor,
)
from scratchnet import experiments
from scratchnet.experiments import Config, Result, run_experiment, run_experiments

# small enough to be quick, and some seeds learn XOR in 500 epochs while others do not
RELU_HE = Config((2, 4, 1), (ReLU(), Sigmoid()), init="he", learning_rate=0.5, epochs=500)
RELU_SEED = Config((2, 4, 1), (ReLU(), Sigmoid()), init="seed", learning_rate=0.5, epochs=500)
TANH = Config((2, 3, 1), (Tanh(), Sigmoid()), init="xavier", learning_rate=0.3, epochs=300)
SEEDS = (0, 1, 2, 3, 4, 5, 6, 7)


@functools.lru_cache(maxsize=None)
def experiment(config: Config, seeds=SEEDS, loss_every: int = 50) -> Result:
    X, y = xor()
    return run_experiment(config, X, y, seeds, loss_every=loss_every)


# --------------------------------------------------------------------------- Config


def test_config_defaults_are_the_chapters():
    config = Config((2, 4, 1), (ReLU(), Sigmoid()))
    assert config.init == "seed"
    assert config.learning_rate == 0.1
    assert config.epochs == 10000


def test_a_config_of_two_layer_sizes_is_accepted_and_runs():
    X, y = xor()
    config = Config((2, 1), (Sigmoid(),), init="xavier", epochs=3)
    result = run_experiment(config, X, y, range(2), loss_every=1)
    assert result.losses.shape == (3, 2) and result.outputs.shape == (2, 4, 1)


def test_config_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        RELU_HE.epochs = 10


# --------------------------------------------------------------------------- run_experiment


@pytest.mark.parametrize("config", [RELU_HE, TANH], ids=["relu-he", "tanh-xavier"])
def test_run_experiment_equals_a_batch_trained_by_hand(config):
    X, y = xor()
    result = experiment(config)
    batch = NetworkBatch(
        config.layer_sizes,
        config.activations,
        rngs=[np.random.RandomState(s) for s in SEEDS],
        init=config.init,
    )
    losses = train_batch(batch, X, y, config.epochs, config.learning_rate, loss_every=50)
    outputs = batch.forward(X)

    assert result.config is config
    assert result.loss_every == 50
    assert result.seeds.dtype.kind == "i"
    np.testing.assert_array_equal(result.seeds, SEEDS)
    assert result.losses.shape == (-(-config.epochs // 50), len(SEEDS))
    assert result.outputs.shape == (len(SEEDS), 4, 1)
    assert np.array_equal(result.losses, losses)
    assert np.array_equal(result.outputs, outputs)
    assert np.array_equal(result.learned, learned(outputs, y))
    assert result.learned.dtype == np.bool_


def test_run_experiment_agrees_with_one_network_runs():
    X, y = xor()
    config = RELU_SEED
    result = experiment(config)
    # the comparison says something only if the seeds disagree among themselves
    assert result.learned.any() and not result.learned.all()
    for r, seed in enumerate(SEEDS):
        net = NeuralNetwork(
            list(config.layer_sizes), list(config.activations),
            rng=np.random.RandomState(seed), init=config.init,
        )
        losses = train(net, X, y, epochs=config.epochs, learning_rate=config.learning_rate)
        out = net.forward(X)
        assert result.learned[r] == np.array_equal(net.predict(X), y), f"seed {seed}"
        assert np.array_equal(result.losses[:, r], losses[:: result.loss_every]), f"seed {seed}"
        assert np.array_equal(result.outputs[r], out), f"seed {seed}"


def test_result_holds_what_the_experiment_was_given():
    # not through the cached experiment(): every field of a fresh call, against a batch
    # trained by hand with the config's own learning rate
    X, y = xor()
    config = Config((2, 3, 1), (Tanh(), Sigmoid()), init="xavier", learning_rate=0.7, epochs=5)
    result = run_experiment(config, X, y, (9, 3), loss_every=2)
    batch = NetworkBatch([2, 3, 1], [Tanh(), Sigmoid()],
                         rngs=[np.random.RandomState(9), np.random.RandomState(3)], init="xavier")
    losses = train_batch(batch, X, y, 5, 0.7, loss_every=2)
    assert result.config is config
    np.testing.assert_array_equal(result.seeds, [9, 3])
    assert result.seeds.dtype == np.int64
    assert result.loss_every == 2
    assert np.array_equal(result.losses, losses)
    assert np.array_equal(result.outputs, batch.forward(X))
    np.testing.assert_array_equal(result.epochs_to_reach(1e9), [0.0, 0.0])  # every loss is below 1e9


def test_run_experiment_records_the_loss_every_100_epochs_by_default():
    X, y = xor()
    config = Config((2, 2, 1), (Tanh(), Sigmoid()), epochs=201)
    result = run_experiment(config, X, y, range(2))
    assert result.loss_every == 100
    assert result.losses.shape == (3, 2)  # epochs 0, 100 and 200
    results = run_experiments({"a": config}, X, y, range(2))
    assert results["a"].loss_every == 100
    assert np.array_equal(results["a"].losses, result.losses)


def test_seeds_are_used_by_value_not_by_position():
    seeds = (6, 2, 5)
    result = experiment(RELU_HE, seeds)
    reference = experiment(RELU_HE)  # seeds 0..7
    for r, seed in enumerate(seeds):
        np.testing.assert_array_equal(result.losses[:, r], reference.losses[:, SEEDS.index(seed)])
        np.testing.assert_array_equal(result.outputs[r], reference.outputs[SEEDS.index(seed)])
    np.testing.assert_array_equal(result.seeds, seeds)


def test_seeds_may_be_any_iterable_of_ints():
    X, y = xor()
    from_range = run_experiment(TANH, X, y, range(3), loss_every=100)
    from_array = run_experiment(TANH, X, y, np.arange(3), loss_every=100)
    from_gen = run_experiment(TANH, X, y, (s for s in (0, 1, 2)), loss_every=100)
    for other in (from_array, from_gen):
        np.testing.assert_array_equal(other.losses, from_range.losses)
        np.testing.assert_array_equal(other.seeds, from_range.seeds)


def test_result_rate_matches_success_rate():
    for config in (RELU_HE, RELU_SEED, TANH):
        result = experiment(config)
        assert result.rate == success_rate(result.learned)
        assert result.rate.trials == len(SEEDS)
        assert result.rate.successes == int(result.learned.sum())


# --------------------------------------------------------------------------- run_experiments


def small_configs():
    return {
        "relu he": Config((2, 4, 1), (ReLU(), Sigmoid()), "he", 0.5, 400),
        "tanh xavier": Config((2, 3, 1), (Tanh(), Sigmoid()), "xavier", 0.5, 400),
        "relu seed": Config((2, 4, 1), (ReLU(), Sigmoid()), "seed", 0.5, 400),
    }


def assert_same_results(a, b):
    assert list(a) == list(b)
    for name in a:
        # activations compare by identity, and a worker returns unpickled copies
        assert repr(a[name].config) == repr(b[name].config), name
        assert np.array_equal(a[name].seeds, b[name].seeds), name
        assert np.array_equal(a[name].learned, b[name].learned), name
        assert np.array_equal(a[name].losses, b[name].losses), name
        assert np.array_equal(a[name].outputs, b[name].outputs), name
        assert a[name].loss_every == b[name].loss_every, name
        assert a[name].rate == b[name].rate, name


def test_run_experiments_sequential_equals_run_experiment():
    X, y = xor()
    configs = small_configs()
    results = run_experiments(configs, X, y, seeds=range(4), loss_every=40, workers=1)
    assert list(results) == list(configs)  # keys and their order kept
    for name, config in configs.items():
        alone = run_experiment(config, X, y, range(4), loss_every=40)
        assert_same_results({name: results[name]}, {name: alone})


def test_run_experiments_in_worker_processes_equals_sequential(monkeypatch):
    X, y = xor()
    configs = small_configs()
    pools = []

    class SpyPool(ProcessPoolExecutor):
        def __init__(self, max_workers=None, mp_context=None, **kwargs):
            pools.append((max_workers, mp_context.get_start_method()))
            super().__init__(max_workers=max_workers, mp_context=mp_context, **kwargs)

    monkeypatch.setattr(experiments, "ProcessPoolExecutor", SpyPool)
    # take the pool path even on a one-core machine
    monkeypatch.setattr(experiments.os, "cpu_count", lambda: 4)

    sequential = run_experiments(configs, X, y, seeds=range(4), loss_every=40, workers=1)
    assert pools == []
    parallel = run_experiments(configs, X, y, seeds=range(4), loss_every=40, workers=2)
    assert pools == [(2, "spawn")]
    assert_same_results(parallel, sequential)
    # the results differ between configurations, so a mix-up of keys would show
    assert not np.array_equal(parallel["relu he"].losses, parallel["relu seed"].losses)


def test_run_experiments_never_starts_more_workers_than_configs_or_cores(monkeypatch):
    X, y = xor()
    started = []

    class NoPool:
        def __init__(self, max_workers=None, mp_context=None):
            started.append(max_workers)
            raise AssertionError("no pool expected")

    monkeypatch.setattr(experiments, "ProcessPoolExecutor", NoPool)
    one = {"only": TANH}
    run_experiments(one, X, y, seeds=[0], loss_every=100, workers=8)  # one config: no pool
    monkeypatch.setattr(experiments.os, "cpu_count", lambda: 1)
    run_experiments(small_configs(), X, y, seeds=[0], loss_every=100, workers=8)  # one core
    assert started == []


def test_run_experiments_trains_in_this_process_by_default(monkeypatch):
    # workers=1 is the default: no worker process, so no __main__ guard is needed
    X, y = xor()

    class NoPool:
        def __init__(self, max_workers=None, mp_context=None):
            raise AssertionError("no pool expected")

    monkeypatch.setattr(experiments, "ProcessPoolExecutor", NoPool)
    monkeypatch.setattr(experiments.os, "cpu_count", lambda: 8)
    configs = {
        "relu": Config((2, 4, 1), (ReLU(), Sigmoid()), epochs=3),
        "tanh": Config((2, 3, 1), (Tanh(), Sigmoid()), epochs=3),
    }
    results = run_experiments(configs, X, y, seeds=[0, 1], loss_every=1)
    assert list(results) == ["relu", "tanh"]


# --------------------------------------------------------------------------- Result


def hand_made_result(losses, loss_every):
    losses = np.asarray(losses, dtype=float)
    runs = losses.shape[1]
    return Result(
        config=RELU_HE,
        seeds=np.arange(runs),
        learned=np.zeros(runs, dtype=bool),
        losses=losses,
        outputs=np.zeros((runs, 4, 1)),
        loss_every=loss_every,
    )


def test_epochs_to_reach_on_hand_made_losses():
    losses = np.array(
        [
            # run 0   run 1   run 2   run 3   run 4
            [0.70, 0.70, 0.05, 0.70, 0.70],
            [0.50, 0.69, 0.04, 0.30, 0.20],
            [0.09, 0.68, 0.03, 0.10, 0.30],  # run 3 only touches 0.1: not below it
            [0.08, 0.67, 0.02, 0.05, 0.05],  # run 4 went below, up again, below again
            [0.07, 0.66, 0.01, 0.04, 0.04],
        ]
    )
    result = hand_made_result(losses, loss_every=25)
    reached = result.epochs_to_reach(0.1)
    assert reached.shape == (5,)
    assert reached.dtype == np.float64
    np.testing.assert_array_equal(reached[[0, 2, 3, 4]], [50.0, 0.0, 75.0, 75.0])
    assert np.isnan(reached[1])

    np.testing.assert_array_equal(
        result.epochs_to_reach(0.25), [50.0, np.nan, 0.0, 50.0, 25.0]
    )  # assert_array_equal treats NaN == NaN
    assert np.isnan(result.epochs_to_reach(0.005)).all()
    np.testing.assert_array_equal(result.epochs_to_reach(1.0), np.zeros(5))


@pytest.mark.parametrize("loss_every", [1, 7, 100])
def test_epochs_to_reach_is_a_multiple_of_loss_every(loss_every):
    # run 0 never gets below 0.5, run 1 crosses midway, run 2 starts exactly at 0.5
    losses = np.linspace(1.0, 0.6, 12)[:, None] * np.array([[1.0, 0.7, 0.5]])
    reached = hand_made_result(losses, loss_every).epochs_to_reach(0.5)
    finite = reached[np.isfinite(reached)]
    assert finite.size == 2
    assert np.all(finite % loss_every == 0)
    # index of the first loss below 0.5, counted independently
    for run in range(3):
        below = np.flatnonzero(losses[:, run] < 0.5)
        if below.size:
            assert reached[run] == below[0] * loss_every
        else:
            assert np.isnan(reached[run])


def test_epochs_to_reach_on_a_real_experiment():
    result = experiment(RELU_HE)
    reached = result.epochs_to_reach(0.2)
    for r in range(len(SEEDS)):
        column = result.losses[:, r]
        if np.isnan(reached[r]):
            assert (column >= 0.2).all()
        else:
            index = int(reached[r]) // result.loss_every
            assert reached[r] == index * result.loss_every
            assert column[index] < 0.2 and (column[:index] >= 0.2).all()


def test_result_rate_is_computed_from_learned():
    learned_flags = np.array([True, False, True, True, False, True])
    result = Result(RELU_HE, np.arange(6), learned_flags, np.zeros((1, 6)), np.zeros((6, 4, 1)), 1)
    assert result.rate == success_rate(learned_flags)
    assert (result.rate.successes, result.rate.trials) == (4, 6)


@pytest.mark.parametrize("seeds, error, message", [
    ([1.5, 1.7], TypeError, r"seeds must be integers .*float64: \[1\.5, 1\.7\]"),
    ([1, 1], ValueError, r"seeds must be distinct .* got 1 2 times"),
    ([1, 2, 2, 3, 2], ValueError, r"seeds must be distinct .* got 2 3 times$"),  # the repeated one
    ([0.5, 1, 2, 3, 4, 5], TypeError, r"seeds must be integers .*float64: \[0\.5, 1\.0, 2\.0, 3\.0, 4\.0\]$"),
    ([], ValueError, r"seeds must be a non-empty sequence"),
    ([-1, 0], ValueError, r"seeds must be in \[0, 2\*\*32\)"),
    ([2**32], ValueError, r"seeds must be in \[0, 2\*\*32\)"),
    ([True, False], TypeError, r"seeds must be integers .*bool"),
    (["0", "1"], TypeError, r"seeds must be integers"),
    (5, TypeError, r"seeds must be a sequence of integers"),
])
def test_seeds_must_be_distinct_integers(seeds, error, message):
    """Each seed is one independent run: float seeds would be truncated ([1.5, 1.7] to
    [1, 1]) and a repeated seed repeats its run, so both would inflate the trials."""
    X, y = xor()
    config = Config((2, 2, 1), (ReLU(), Sigmoid()), epochs=5)
    with pytest.raises(error, match=message):
        run_experiment(config, X, y, seeds)
    with pytest.raises(error, match=message):
        run_experiments({"a": config}, X, y, seeds)


@pytest.mark.parametrize("configs, message", [
    ({}, r"configs must be a non-empty mapping"),
    ([("a", 1)], r"configs must be a non-empty mapping"),
    ({"a": (2, 4, 1)}, r"configs\['a'\] must be"),
])
def test_configs_must_name_config_objects(configs, message):
    X, y = xor()
    with pytest.raises(TypeError, match=message):
        run_experiments(configs, X, y, range(2))


def test_run_experiment_wants_a_config():
    X, y = xor()
    with pytest.raises(TypeError, match=r"config must be"):
        run_experiment((2, 4, 1), X, y, range(2))


def test_a_missing_config_is_refused_with_an_example_of_one():
    X, y = xor()
    example = "Config((2, 4, 1), (ReLU(), Sigmoid()))"
    with pytest.raises(TypeError) as error:
        run_experiment((2, 4, 1), X, y, range(2))
    assert str(error.value) == f"config must be a Config instance such as {example}, got (2, 4, 1)"
    with pytest.raises(TypeError) as error:
        run_experiments({"a": (2, 4, 1)}, X, y, range(2))
    assert str(error.value) == (f"configs['a'] must be a Config instance such as {example}, "
                                "got (2, 4, 1)")


def test_epochs_to_reach_refuses_a_nan_threshold():
    X, y = xor()
    result = run_experiment(Config((2, 2, 1), (ReLU(), Sigmoid()), epochs=3), X, y, range(2), loss_every=1)
    with pytest.raises(ValueError, match="threshold must be a finite number, got nan"):
        result.epochs_to_reach(float("nan"))
    with pytest.raises(TypeError, match="threshold must be a number"):
        result.epochs_to_reach("a")
