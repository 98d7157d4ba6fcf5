"""A hand-written NumPy loop for the XOR 2-4-1 network: a reference floor for benchmark 1.

Not one of the issue's contenders: it shows what ten thousand tiny full-batch steps
cost when a loop makes about as few NumPy calls as the arithmetic allows, so that
benchmark 1's ratios can be read against it. On four samples every array holds a
handful of numbers and the time is all per-call overhead (Python bytecode and the
fixed cost of each NumPy call), not arithmetic.

Same arithmetic as ``scratchnet.fit`` with ``BinaryCrossEntropy`` on a sigmoid output:
the loss of each epoch is ``mean(log(1 + exp(z)) - y z)`` on the logits ``z`` (before
that epoch's update), and the gradient with respect to ``z`` is ``(sigmoid(z) - y) / n``.
The learning rate is folded into that gradient (everything after it is linear in it).
"""

from __future__ import annotations

import numpy as np


def train_numpy_xor(
    X: np.ndarray,
    y: np.ndarray,
    W1: np.ndarray,
    b1: np.ndarray,
    W2: np.ndarray,
    b2: np.ndarray,
    learning_rate: float,
    epochs: int,
) -> np.ndarray:
    """Train the float64 parameters in place; return the loss of every epoch."""
    n = X.shape[0]
    XT = np.ascontiguousarray(X.T)
    scale = float(learning_rate) / n
    losses = np.empty(epochs)
    logaddexp, maximum, exp, matmul = np.logaddexp, np.maximum, np.exp, np.matmul
    add_reduce = np.add.reduce
    for epoch in range(epochs):
        z1 = matmul(X, W1)
        z1 += b1
        a1 = maximum(z1, 0.0)
        z2 = matmul(a1, W2)
        z2 += b2
        losses[epoch] = add_reduce(logaddexp(0.0, z2) - y * z2, axis=None) / z2.size
        # sigmoid(z) = 1 / (1 + exp(-z)); fine here, |z| stays small on XOR
        g = exp(-z2)
        g += 1.0
        g = 1.0 / g
        g -= y
        g *= scale  # lr * dL/dz2
        da1 = matmul(g, W2.T)
        da1 *= z1 > 0
        W2 -= matmul(a1.T, g)
        b2 -= add_reduce(g, axis=0)
        W1 -= matmul(XT, da1)
        b1 -= add_reduce(da1, axis=0)
    return losses
