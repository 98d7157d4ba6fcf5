"""A hand-written, minimal NumPy training loop for a 784-256-10 ReLU MLP.

This is the floor that ``scratchnet.fit`` is measured against in benchmark 2: the
same model, loss, optimizer and batching, written as tightly as plain NumPy allows.

* float32 throughout (weights, activations, gradients; Python-float hyperparameters
  so that nothing is upcast to float64);
* every per-batch array preallocated once and written with ``out=``; the last, short
  batch uses leading-row views of the same buffers (still C-contiguous);
* one ``rng.permutation(n)`` per epoch; each batch gathered with
  ``np.take(..., out=, mode="clip")``;
* forward ``z1 = x W1 + b1``, ``a1 = max(z1, 0)`` (as ``z1 * (z1 > 0)``, whose mask the
  backward pass reuses), ``z2 = a1 W2 + b2``;
* stable softmax cross-entropy: subtract the row maximum, ``exp``, normalize; the
  gradient with respect to the scores is ``(p - onehot(y)) / n``; reductions call
  ``np.maximum.reduce`` / ``np.add.reduce`` directly (``np.max``/``np.sum`` add a few
  microseconds of Python dispatch per call);
* the SGD learning rate is folded into that ``(n, 10)`` gradient before it is
  backpropagated (everything after it is linear in it), so the two GEMMs that produce
  the weight gradients already produce ``lr * dL/dW`` and each update is a single
  in-place ``W -= step`` pass;
* no input gradient for the first layer (nobody needs dL/dx);
* the batch loss is accumulated (as ``fit`` and the PyTorch loop also do), without a
  per-batch Python float conversion; accuracy is not computed (``fit`` does compute it,
  which the README's profile accounts for).

The arithmetic is the same as ``fit``'s: with the same initial weights and the same
``default_rng`` seed for the permutation, the weights it ends with agree with
scratchnet's to float32 rounding (run.py checks this).
"""

from __future__ import annotations

import numpy as np


def train_numpy_mlp(
    X: np.ndarray,
    labels: np.ndarray,
    W1: np.ndarray,
    b1: np.ndarray,
    W2: np.ndarray,
    b2: np.ndarray,
    learning_rate: float,
    batch_size: int,
    epochs: int,
    rng: np.random.Generator,
    max_batches: int | None = None,
) -> list[float]:
    """Train the (float32) parameters in place; return the mean training loss of each epoch.

    ``max_batches`` stops each epoch early (used only for warm-up runs).
    """
    n, d = X.shape
    h = W1.shape[1]
    k = W2.shape[1]
    dtype = X.dtype
    lr = float(learning_rate)

    xb_buf = np.empty((batch_size, d), dtype)
    yb_buf = np.empty(batch_size, labels.dtype)
    z1_buf = np.empty((batch_size, h), dtype)  # z1, then a1 in place
    mask_buf = np.empty((batch_size, h), np.bool_)
    z2_buf = np.empty((batch_size, k), dtype)  # z2, then p, then the scaled gradient
    rowmax_buf = np.empty((batch_size, 1), dtype)
    rowsum_buf = np.empty((batch_size, 1), dtype)
    da1_buf = np.empty((batch_size, h), dtype)
    dW1 = np.empty_like(W1)
    dW2 = np.empty_like(W2)
    db1 = np.empty_like(b1)
    db2 = np.empty_like(b2)
    rows_buf = np.arange(batch_size)

    epoch_losses = []
    for _ in range(epochs):
        order = rng.permutation(n)
        loss_sum = np.zeros((), np.float64)
        for batch, begin in enumerate(range(0, n, batch_size)):
            if max_batches is not None and batch >= max_batches:
                break
            idx = order[begin:begin + batch_size]
            m = idx.shape[0]
            if m == batch_size:
                xb, yb, z1, mask, z2 = xb_buf, yb_buf, z1_buf, mask_buf, z2_buf
                rowmax, rowsum, da1, rows = rowmax_buf, rowsum_buf, da1_buf, rows_buf
            else:
                xb, yb, z1, mask, z2 = xb_buf[:m], yb_buf[:m], z1_buf[:m], mask_buf[:m], z2_buf[:m]
                rowmax, rowsum, da1, rows = rowmax_buf[:m], rowsum_buf[:m], da1_buf[:m], rows_buf[:m]
            # mode="clip" (the indices are in range anyway): with the default
            # mode="raise", take() with out= goes through a buffered copy, ~3x slower
            np.take(X, idx, axis=0, out=xb, mode="clip")
            np.take(labels, idx, out=yb, mode="clip")

            # forward
            np.matmul(xb, W1, out=z1)
            z1 += b1
            np.greater(z1, 0.0, out=mask)  # the ReLU mask, kept for the backward pass
            np.multiply(z1, mask, out=z1)  # a1 = relu(z1)
            np.matmul(z1, W2, out=z2)
            z2 += b2

            # softmax cross-entropy, stable; loss = mean(log(sum exp(z - max)) - (z_y - max))
            np.maximum.reduce(z2, axis=1, keepdims=True, out=rowmax)
            z2 -= rowmax
            picked = z2[rows, yb]
            np.exp(z2, out=z2)
            np.add.reduce(z2, axis=1, keepdims=True, out=rowsum)
            loss_sum += np.log(rowsum).sum() - picked.sum()  # m * (batch mean loss)
            z2 /= rowsum  # p
            z2[rows, yb] -= 1.0  # p - onehot(y)
            z2 *= lr / m  # lr * dL/dz2

            # backward (dL/dx of the first layer is not needed); da1 before W2 moves
            np.matmul(z1.T, z2, out=dW2)
            np.add.reduce(z2, axis=0, keepdims=True, out=db2)
            np.matmul(z2, W2.T, out=da1)
            np.multiply(da1, mask, out=da1)  # relu'(z1)
            np.matmul(xb.T, da1, out=dW1)
            np.add.reduce(da1, axis=0, keepdims=True, out=db1)

            # SGD: the gradients above already carry the learning rate
            W1 -= dW1
            b1 -= db1
            W2 -= dW2
            b2 -= db2
        epoch_losses.append(float(loss_sum) / n)
    return epoch_losses
