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
from typing import Dict, Mapping, Sequence, Tuple

import numpy as np

from .activations import Activation
from .batched import NetworkBatch, learned, train_batch
from .init import Init
from .stats import Rate, success_rate


@dataclass(frozen=True)
class Config:
    """One training setup: architecture, activations, initialization, learning rate, epochs."""

    layer_sizes: Tuple[int, ...]
    activations: Tuple[Activation, ...]
    init: Init = "seed"
    learning_rate: float = 0.1
    epochs: int = 10000


@dataclass
class Result:
    """What many seeds of one :class:`Config` did.

    ``learned[r]`` says whether run ``r`` got every output on the right side of 0.5;
    ``losses`` has shape ``(ceil(epochs / loss_every), runs)``; ``outputs`` has shape
    ``(runs, n, outputs)`` after training.
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
        """For each run, the first recorded epoch with loss below ``threshold`` (NaN if never)."""
        below = self.losses < threshold
        first = np.argmax(below, axis=0).astype(float) * self.loss_every
        first[~below.any(axis=0)] = np.nan
        return first


def run_experiment(
    config: Config, X: np.ndarray, y: np.ndarray, seeds: Sequence[int], loss_every: int = 100
) -> Result:
    """Train ``config`` from every seed in ``seeds`` at once and collect the outcome."""
    seeds = np.asarray(list(seeds), dtype=np.int64)
    batch = NetworkBatch(
        config.layer_sizes,
        config.activations,
        rngs=[np.random.RandomState(int(s)) for s in seeds],
        init=config.init,
    )
    losses = train_batch(
        batch, X, y, config.epochs, config.learning_rate, loss_every=loss_every
    )
    outputs = batch.forward(X)
    return Result(config, seeds, learned(outputs, y), losses, outputs, loss_every)


def _run(args: tuple) -> Result:
    return run_experiment(*args)


def run_experiments(
    configs: Mapping[str, Config],
    X: np.ndarray,
    y: np.ndarray,
    seeds: Sequence[int],
    loss_every: int = 100,
    workers: int = 1,
) -> Dict[str, Result]:
    """:func:`run_experiment` for every configuration, ``workers`` at a time.

    With ``workers > 1`` the configurations are shared among that many worker
    processes (at most one per CPU core). Each configuration is computed in full by
    one worker, so the results do not depend on ``workers``. Worker processes are
    started fresh ("spawn"), so a script that uses them needs the usual
    ``if __name__ == "__main__":`` guard; notebooks do not.
    """
    jobs = [(config, X, y, list(seeds), loss_every) for config in configs.values()]
    workers = max(1, min(len(jobs), workers, os.cpu_count() or 1))
    if workers <= 1:
        results = [_run(job) for job in jobs]
    else:
        # "spawn" starts clean interpreters: safe inside Jupyter kernels and threads
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(_run, jobs))
    return dict(zip(configs, results))
