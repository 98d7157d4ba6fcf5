"""Success-rate experiments: many seeds per configuration, configurations in parallel.

A *configuration* fixes everything about a training run except the random seed.
:func:`run_experiment` trains it from many seeds at once (run ``s`` starts from
``np.random.RandomState(s)``, as the chapter's ``np.random.seed(s)`` would) with
:class:`~scratchnet.batched.NetworkBatch`. :func:`run_experiments` does that for
several configurations, spread over the machine's cores with worker processes.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Sequence, Tuple

import numpy as np

from ._validation import (
    check_activations, check_finite_number, check_instance, check_layer_sizes, check_positive_float,
    check_positive_int,
)
from .activations import Activation
from .batched import NetworkBatch, learned, train_batch
from .init import Init, weight_std
from .stats import Rate, success_rate


@dataclass(frozen=True)
class Config:
    """One training setup: architecture, activations, initialization, learning rate, epochs.

    The fields mean what they mean for :class:`~scratchnet.network.NeuralNetwork`
    and :func:`~scratchnet.training.train`; tuples rather than lists, so that a
    configuration can be hashed and compared. Each field is checked when the
    configuration is made, with the checks ``NeuralNetwork`` and ``train`` use.

    Example
    -------
    >>> from scratchnet import ReLU, Sigmoid
    >>> from scratchnet.experiments import Config
    >>> Config((2, 4, 1), (ReLU(), Sigmoid()), init="he")
    Config(layer_sizes=(2, 4, 1), activations=(ReLU(), Sigmoid()),
           init='he', learning_rate=0.1, epochs=10000)
    """

    layer_sizes: Tuple[int, ...]
    activations: Tuple[Activation, ...]
    init: Init = "seed"
    learning_rate: float = 0.1
    epochs: int = 10000

    def __post_init__(self) -> None:
        sizes = check_layer_sizes(self.layer_sizes)
        check_activations(self.activations, len(sizes) - 1)
        weight_std(sizes[0], sizes[1], self.init)  # refuses an unknown scheme
        check_positive_float(self.learning_rate, "learning_rate")
        check_positive_int(self.epochs, "epochs")


@dataclass
class Result:
    """What many seeds of one :class:`Config` did.

    ``learned[r]`` says whether run ``r`` got every output on the right side of 0.5;
    ``losses`` has shape ``(ceil(epochs / loss_every), runs)``; ``outputs`` has shape
    ``(runs, n, outputs)`` after training; ``rate`` is the
    :class:`~scratchnet.stats.Rate` of ``learned``. Made by :func:`run_experiment`
    (see its example).
    """

    config: Config
    seeds: np.ndarray
    learned: np.ndarray
    losses: np.ndarray
    outputs: np.ndarray
    loss_every: int
    rate: Rate = field(init=False)

    def __post_init__(self) -> None:
        self.rate = success_rate(self.learned)

    def epochs_to_reach(self, threshold: float) -> np.ndarray:
        """For each run, the first recorded epoch with loss below ``threshold`` (NaN if never).

        Shape ``(runs,)``; epochs are recorded every ``loss_every``.
        """
        threshold = check_finite_number(threshold, "threshold")
        below = self.losses < threshold
        first = np.argmax(below, axis=0).astype(float) * self.loss_every
        first[~below.any(axis=0)] = np.nan
        return first


def run_experiment(
    config: Config, X: np.ndarray, y: np.ndarray, seeds: Sequence[int], loss_every: int = 100
) -> Result:
    """Train ``config`` from every seed in ``seeds`` at once and collect the outcome.

    ``X`` and ``y`` are shared by all runs, as for
    :func:`~scratchnet.batched.train_batch`; the loss is recorded every
    ``loss_every`` epochs.

    Example
    -------
    >>> from scratchnet import Sigmoid, Tanh, xor
    >>> from scratchnet.experiments import Config, run_experiment
    >>> X, y = xor()
    >>> config = Config((2, 4, 1), (Tanh(), Sigmoid()), init="xavier",
    ...                 learning_rate=0.5, epochs=2000)
    >>> result = run_experiment(config, X, y, range(20), loss_every=100)
    >>> result.losses.shape, result.outputs.shape
    ((20, 20), (20, 4, 1))
    >>> print(result.rate)
    20/20 = 100.0% (95% CI 83.9% to 100.0%)
    >>> result.epochs_to_reach(0.1)[:3]
    array([200., 200., 100.])
    """
    check_instance(config, Config, "config", "Config((2, 4, 1), (ReLU(), Sigmoid()))")
    return _run_group([config], X, y, check_seeds(seeds), loss_every)[0]


def _run_group(
    configs: List[Config], X: np.ndarray, y: np.ndarray, seeds: Sequence[int], loss_every: int
) -> List[Result]:
    """Train configurations that differ only in ``init`` as one batch, then split it.

    The runs of a batch never interact, so run ``r`` of the joint batch computes
    exactly what it would in a batch of its own configuration.
    """
    first = configs[0]
    batch = NetworkBatch.concatenate(
        [
            NetworkBatch(
                config.layer_sizes,
                config.activations,
                rngs=[np.random.RandomState(int(s)) for s in seeds],
                init=config.init,
            )
            for config in configs
        ]
    )
    losses = train_batch(batch, X, y, first.epochs, first.learning_rate, loss_every=loss_every)
    outputs = batch.forward(X)
    results = []
    for i, config in enumerate(configs):
        runs = slice(i * len(seeds), (i + 1) * len(seeds))
        results.append(
            Result(config, seeds, learned(outputs[runs], y), losses[:, runs],
                   outputs[runs], loss_every)
        )
    return results


def check_seeds(seeds: Sequence[int]) -> np.ndarray:
    """Distinct non-negative integer seeds, one independent run each, as an array.

    Each seeds ``np.random.RandomState(seed)``, which takes integers in ``[0, 2**32)``:
    a float such as 1.5 would be truncated, and a repeated seed repeats its run, so
    neither is an independent trial.
    """
    try:
        values = np.asarray(list(seeds))
    except TypeError:
        raise TypeError(f"seeds must be a sequence of integers such as range(100), got {seeds!r}") from None
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"seeds must be a non-empty sequence of integers, got {seeds!r}")
    if values.dtype.kind not in "iu":
        raise TypeError(
            f"seeds must be integers (each seeds np.random.RandomState), got dtype "
            f"{values.dtype}: {values[:5].tolist()}"
        )
    if values.min() < 0 or values.max() >= 2**32:
        raise ValueError(f"seeds must be in [0, 2**32), got seeds from {values.min()} to {values.max()}")
    unique, counts = np.unique(values, return_counts=True)
    if unique.size != values.size:
        raise ValueError(
            f"seeds must be distinct (a repeated seed repeats its run, which is not an "
            f"independent trial), got {unique[counts > 1][0]} {counts[counts > 1][0]} times"
        )
    return values.astype(np.int64)


def _run(args: tuple) -> List[Result]:
    return _run_group(*args)


def run_experiments(
    configs: Mapping[str, Config],
    X: np.ndarray,
    y: np.ndarray,
    seeds: Sequence[int],
    loss_every: int = 100,
    workers: int = 1,
) -> Dict[str, Result]:
    """:func:`run_experiment` for every configuration, ``workers`` at a time.

    Configurations that differ only in ``init`` are trained together as one batch
    (a batch of many runs costs much less than several small ones). With
    ``workers > 1`` the batches are shared among that many worker processes (at
    most one per CPU core). The results do not depend on either: every run
    computes the same numbers wherever it is trained. Worker processes are started
    fresh ("spawn"), so a script that uses them needs the usual
    ``if __name__ == "__main__":`` guard; notebooks do not.

    Returns one :class:`Result` per configuration, under the same names and in the
    same order as ``configs``.

    Example
    -------
    >>> from scratchnet import ReLU, Sigmoid, xor
    >>> from scratchnet.experiments import Config, run_experiments
    >>> X, y = xor()
    >>> relu = (ReLU(), Sigmoid())
    >>> configs = {
    ...     "seed": Config((2, 4, 1), relu, epochs=1000),
    ...     "he": Config((2, 4, 1), relu, init="he", epochs=1000),
    ... }
    >>> results = run_experiments(configs, X, y, seeds=range(10))
    >>> {name: result.rate.trials for name, result in results.items()}
    {'seed': 10, 'he': 10}
    """
    if not isinstance(configs, Mapping) or not configs:
        raise TypeError(f"configs must be a non-empty mapping of names to Config, got {configs!r}")
    for name, config in configs.items():
        check_instance(config, Config, f"configs[{name!r}]", "Config((2, 4, 1), (ReLU(), Sigmoid()))")
    seeds = check_seeds(seeds)
    workers = check_positive_int(workers, "workers")
    groups: Dict[tuple, List[str]] = {}
    for name, config in configs.items():
        key = (config.layer_sizes, config.activations, config.learning_rate, config.epochs)
        groups.setdefault(key, []).append(name)
    names = sorted(groups.values(), key=len, reverse=True)  # largest batches first
    jobs = [([configs[n] for n in group], X, y, list(seeds), loss_every) for group in names]
    workers = max(1, min(len(jobs), workers, os.cpu_count() or 1))
    if workers <= 1:
        results = [_run(job) for job in jobs]
    else:
        # "spawn" starts clean interpreters: safe inside Jupyter kernels and threads
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(_run, jobs))
    by_name = {n: r for group, rs in zip(names, results) for n, r in zip(group, rs)}
    return {name: by_name[name] for name in configs}
