"""Determinism: the same seeds give bit-identical numbers. (That every page prints and
glues the same outputs when executed twice is tests/determinism_checks.py.)"""

from __future__ import annotations

import numpy as np

from scratchnet import (
    SGD,
    Identity,
    NeuralNetwork,
    ReLU,
    Sigmoid,
    SoftmaxCrossEntropy,
    fit,
    spirals,
    train,
    xor,
)


def test_same_seed_same_training_bit_for_bit():
    X, y = xor()
    runs = []
    for _ in range(2):
        net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=np.random.RandomState(3))
        losses = train(net, X, y, epochs=500, learning_rate=0.1)
        runs.append((losses, net.parameters(), net.forward(X)))
    assert np.array_equal(runs[0][0], runs[1][0])
    assert all(np.array_equal(a, b) for a, b in zip(runs[0][1], runs[1][1]))
    assert np.array_equal(runs[0][2], runs[1][2])


def test_same_seeds_same_mini_batch_fit_bit_for_bit():
    X, labels = spirals(120, 3, rng=0)
    histories, weights = [], []
    for _ in range(2):
        net = NeuralNetwork([2, 16, 3], [ReLU(), Identity()], rng=1, init="he")
        histories.append(fit(net, X, labels, SoftmaxCrossEntropy(), SGD(0.1, momentum=0.9),
                             epochs=5, batch_size=16, rng=2).loss)
        weights.append(net.parameters())
    assert histories[0] == histories[1]
    assert all(np.array_equal(a, b) for a, b in zip(*weights))
