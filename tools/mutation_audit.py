"""Mutation audit: every protection in scratchnet has a test that fails without it.

How to run (from the repository root, stdlib only)::

    .venv/bin/python tools/mutation_audit.py              # all mutations, one at a time
    .venv/bin/python tools/mutation_audit.py --list       # what each mutation disables
    .venv/bin/python tools/mutation_audit.py --only fit-target-shape sigmoid-stable
    .venv/bin/python tools/mutation_audit.py --jobs 2     # two mutations at once

What it proves. Each entry of ``MUTATIONS`` below disables one protection of the
package -- a check at the public boundary (constructors, ``forward``, ``fit``, the
losses, ``scratchnet/_validation.py``), a numerically stable formula (sigmoid via
``logaddexp``, ``log_softmax``'s max-subtraction, ``clip_probability``), the
divergence report of ``fit`` and ``TrainStep``'s skipped update, the safety of
``save``/``load`` (no pickle, atomic write, format version, damaged files, bit-exact
round trip, dtype) or the explicit use of ``rng`` -- by replacing one exact piece of
source text (``old -> new``) in one file. The tool copies ``scratchnet/``, ``tests/``
and ``pyproject.toml`` (so ``filterwarnings = error`` applies) to a temporary
directory, applies one mutation at a time to that copy and runs

    python -m pytest -x -q -p no:cacheprovider -m "not book" <fast test files>

there, with ``PYTHONPATH`` pointing at the copy. A mutation is *killed* when some
test fails, and *survives* when the whole selection still passes: then no test
notices that the protection is gone. The tool prints a table and exits with status
1 if any mutation survives, so "every protection is tested" is checked, not claimed.

Safeguards:

* every ``old`` text must occur exactly once in its file, else the tool stops
  before running anything (the list stays in sync with the source);
* every mutated file must still compile, so no mutation is "killed" by a typo;
* before the mutations, a sanity run checks that ``scratchnet`` is imported from
  the copy (not from an installed or editable package), that the unmutated copy
  passes the selection, and that a canary mutation of the copy does make it fail;
* bytecode caches are off (``PYTHONDONTWRITEBYTECODE``), so a mutation of the same
  size within the same second cannot be hidden by a stale ``.pyc``;
* each run has a timeout; a mutation that hangs the suite counts as killed and is
  marked ``timeout``.

The slow tests that execute the book's pages (marker ``book``, ``tests/test_book.py``,
the ``*_page.py``/``*_pages.py`` files and any file marked ``book`` as a whole) are not
run, nor ``tests/test_docstrings.py``, which reads the book's API pages (``book/`` is
not copied), nor test files that never mention scratchnet (the browser check of the
built site). The repository itself is never modified.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "scratchnet"


@dataclass(frozen=True)
class Mutation:
    name: str  # short id, for --only
    file: str  # path inside scratchnet/
    what: str  # the protection that the mutation disables
    old: str
    new: str


M = Mutation
# the end of BinaryCrossEntropy._checked and of SoftmaxCrossEntropy._checked
CONVERTED = 'target = as_float_array(target, "target", output.dtype)\n'
CHECKED = "        check_same_shape(output, target)\n"
RETURNED = '        return output, target\n\n    def __repr__(self) -> str:\n        return "{}()"'
MUTATIONS: list[Mutation] = [
    # ---------------------------------------------------------------- _validation.py
    M("ragged-input", "_validation.py", "ragged nested lists get NumPy's error, not one naming the argument",
      'f"{name} must be a rectangular array (rows of equal length), got ragged rows"',
      '"setting an array element with a sequence"'),
    M("float-refuses-bool", "_validation.py", "bool arrays are converted like integers",
      'if kind in "iu":', 'if kind in "iub":'),
    M("float-refuses-object-str", "_validation.py", "object and string arrays pass unconverted",
      'elif kind != "f":', 'elif kind not in "fOUS":'),
    M("float-refuses-complex", "_validation.py", "complex arrays pass unconverted",
      'elif kind != "f":', 'elif kind not in "fc":'),
    M("float-converts-int", "_validation.py", "integer arrays are not converted to float",
      "array = array.astype(dtype or np.float64)", "pass"),
    M("float-converts-dtype", "_validation.py",
      "float arrays are not converted to the requested dtype",
      "elif dtype is not None and array.dtype != dtype:", "elif False:"),
    M("batch-2d", "_validation.py", "batches of any number of dimensions are accepted",
      "if x.ndim != 2:", "if False:"),
    M("batch-columns", "_validation.py", "batches with the wrong number of columns are accepted",
      "if x.shape[1] != n_features:", "if False:"),
    M("batch-nonempty", "_validation.py", "empty batches are accepted",
      "if x.shape[0] == 0:", "if False:"),
    M("finite-any", "_validation.py", "NaN and inf inputs are accepted",
      "if not np.isfinite(flat[begin:begin + block]).all():", "if False:"),
    M("finite-inf", "_validation.py", "only NaN is refused, infinity passes",
      "if not np.isfinite(flat[begin:begin + block]).all():",
      "if np.isnan(flat[begin:begin + block]).any():"),
    M("finite-every-block", "_validation.py", "only the first block of a large array is checked",
      "for begin in range(0, flat.size, block):",
      "for begin in range(0, min(flat.size, 1), block):"),
    M("same-shape", "_validation.py", "a (4,) target against a (4, 1) output broadcasts",
      "if output.shape != target.shape:", "if output.size != target.size:"),
    M("positive-int-type", "_validation.py", "floats are accepted as counts (truncated by int())",
      "if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):",
      "if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):"),
    M("positive-int-bool", "_validation.py", "True is accepted as the integer 1",
      "if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):",
      "if not isinstance(value, (int, np.integer)):"),
    M("positive-int-zero", "_validation.py", "0 is accepted as a positive integer",
      "if value <= 0:\n        raise ValueError(f\"{name} must be a positive integer",
      "if value < 0:\n        raise ValueError(f\"{name} must be a positive integer"),
    M("positive-float-bool", "_validation.py", "True is accepted as the number 1.0",
      "if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):",
      "if not isinstance(value, (int, float, np.number)):"),
    M("positive-float-finite", "_validation.py", "inf and NaN are accepted as positive numbers",
      "if not np.isfinite(value) or value <= 0:", "if value <= 0:"),
    M("positive-float-zero", "_validation.py",
      "0 and negative numbers are accepted (learning rate)",
      "if not np.isfinite(value) or value <= 0:", "if not np.isfinite(value):"),
    # ---------------------------------------------------------------- layer.py
    M("layer-dtype", "layer.py", "dtypes other than float32/float64 are accepted",
      "if dt not in (np.float32, np.float64):", "if False:"),
    M("activation-class", "layer.py", "an activation class (ReLU instead of ReLU()) gets no hint",
      "if isinstance(activation, type) and issubclass(activation, Activation):", "if False:"),
    M("activation-instance", "layer.py", "anything is accepted as an activation",
      "if not isinstance(activation, Activation):", "if False:"),
    M("layer-forward-batch", "layer.py", "Layer.forward accepts any shape",
      'check_batch(x, "x", self.input_size)', "pass"),
    M("layer-forward-float", "layer.py", "Layer.forward accepts any dtype",
      'x = as_float_array(x, "x", self.weights.dtype)', "x = np.asarray(x)"),
    M("layer-backward-before-forward", "layer.py", "backward before forward gets no clear error",
      "if self.activation_input is None:", "if False:"),
    M("layer-backward-shape", "layer.py", "grad_output of the wrong shape broadcasts",
      "if grad_output.shape != self.activation_input.shape:", "if False:"),
    # ---------------------------------------------------------------- network.py
    M("net-sizes-str", "network.py", "a string is accepted as layer_sizes",
      "if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, (Sequence, np.ndarray)):",
      "if not isinstance(layer_sizes, (Sequence, np.ndarray)):"),
    M("net-sizes-iterable", "network.py", "an unordered or non-iterable layer_sizes is accepted",
      "if isinstance(layer_sizes, (str, bytes)) or not isinstance(layer_sizes, (Sequence, np.ndarray)):",
      "if isinstance(layer_sizes, (str, bytes)):"),
    M("net-sizes-two", "network.py", "a single layer size is accepted",
      "if len(layer_sizes) < 2:", "if len(layer_sizes) < 1:"),
    M("net-sizes-each", "network.py", "the layer sizes are not checked one by one",
      'sizes = [check_positive_int(n, f"layer_sizes[{i}]") for i, n in enumerate(layer_sizes)]',
      "sizes = [int(n) for n in layer_sizes]"),
    M("net-activations-list", "network.py", "a single activation (not a list) is accepted",
      "if isinstance(activations, Activation) or not isinstance(activations, Sequence):",
      "if False:"),
    M("net-activations-count", "network.py", "extra activations are silently ignored",
      "if len(activations) != len(sizes) - 1:", "if len(activations) < len(sizes) - 1:"),
    M("net-activations-each", "network.py", "errors do not name activations[i]",
      'check_activation(activation, f"activations[{i}]")', "pass"),
    M("net-check-input-finite", "network.py", "NaN/inf inputs reach the network",
      "check_finite(x, name)", "pass"),
    M("net-check-input-batch", "network.py", "check_input does not check the batch shape",
      "check_batch(x, name, self.layers[0].input_size)", "pass"),
    M("net-forward-checks", "network.py", "NeuralNetwork.forward does not validate x",
      "current_input = self.check_input(x) if check else x", "current_input = x"),
    # ---------------------------------------------------------------- activations.py
    M("leaky-alpha-type", "activations.py", "LeakyReLU accepts any alpha type",
      "if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.floating)):",
      "if False:"),
    M("leaky-alpha-bool", "activations.py", "LeakyReLU(alpha=True) is not a TypeError",
      "if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.floating)):",
      "if not isinstance(alpha, (int, float, np.floating)):"),
    M("leaky-alpha-range", "activations.py", "LeakyReLU accepts alpha >= 1",
      "if not 0 <= alpha < 1:", "if not 0 <= alpha:"),
    M("sigmoid-stable", "activations.py", "sigmoid is the overflowing 1 / (1 + exp(-x))",
      "return np.exp(-np.logaddexp(0, -x))", "return 1 / (1 + np.exp(-x))"),
    # ---------------------------------------------------------------- losses.py
    M("clip-probability", "losses.py", "probabilities are not clipped",
      "return np.minimum(np.maximum(p, eps), 1 - eps)", "return p"),
    M("clip-dtype-eps", "losses.py", "the clip uses 1e-15 whatever the dtype (float32 log(0))",
      "eps = np.finfo(p.dtype).eps", "eps = 1e-15"),
    M("loss-pair-shape", "losses.py", "BCE/MSE accept targets of another shape",
      CONVERTED + "    check_same_shape(output, target)\n    if output.size == 0:",
      CONVERTED + "    if output.size == 0:"),
    M("loss-pair-empty", "losses.py", "BCE/MSE accept an empty batch",
      "    if output.size == 0:\n        raise ValueError(f\"output is empty: expected at least one value",
      "    if False:\n        raise ValueError(f\"output is empty: expected at least one value"),
    M("loss-pair-finite", "losses.py", "BCE/MSE accept NaN or infinite outputs and targets",
      '    check_finite(output, "output")\n    check_finite(target, "target")\n    return output, target',
      "    return output, target"),
    M("bce-probabilities", "losses.py", "BCE accepts outputs and targets outside [0, 1]",
      '        check_probabilities(output, "output")\n        check_probabilities(target, "target")\n',
      ""),
    M("bce-forward-checked", "losses.py", "BCE.forward does not check its arguments",
      "output, target = self._checked(output, target)\n        return float(self.elementwise",
      "return float(self.elementwise"),
    M("bce-backward-checked", "losses.py", "BCE.backward does not check its arguments",
      "output, target = self._checked(output, target)\n        return self.gradient(",
      "return self.gradient("),
    M("mse-forward-checked", "losses.py", "MSE.forward does not check its arguments",
      "output, target = checked_pair(output, target)\n"
      "        return self.value_and_gradient(output, target)[0]",
      "return self.value_and_gradient(output, target)[0]"),
    M("mse-backward-checked", "losses.py", "MSE.backward does not check its arguments",
      "output, target = checked_pair(output, target)\n"
      "        return self.value_and_gradient(output, target)[1]",
      "return self.value_and_gradient(output, target)[1]"),
    M("bce-logits-logaddexp", "losses.py", "BCE on logits uses the overflowing log(1 + exp(z))",
      "np.add.reduce((np.logaddexp(0, logits) - target * logits), axis=None)",
      "np.add.reduce((np.log(1 + np.exp(logits)) - target * logits), axis=None)"),
    M("log-softmax-max", "losses.py", "log_softmax does not subtract the row maximum",
      "shifted = logits - logits.max(axis=1, keepdims=True)", "shifted = logits"),
    M("sce-output-2d", "losses.py", "SoftmaxCrossEntropy accepts non-2-D scores",
      "if output.ndim != 2:", "if False:"),
    M("sce-label-count", "losses.py", "SoftmaxCrossEntropy accepts the wrong number of labels",
      "if target.shape[0] != n:", "if False:"),
    M("sce-label-range", "losses.py", "SoftmaxCrossEntropy accepts labels out of range",
      "if target.size and (target.min() < 0 or target.max() >= k):", "if False:"),
    M("sce-onehot-shape", "losses.py",
      "SoftmaxCrossEntropy accepts one-hot targets of another shape",
      CONVERTED + CHECKED + '        check_finite(target, "target")\n' + RETURNED.format("SoftmaxCrossEntropy"),
      CONVERTED + '        check_finite(target, "target")\n' + RETURNED.format("SoftmaxCrossEntropy")),
    M("sce-finite-scores", "losses.py", "SoftmaxCrossEntropy accepts NaN scores",
      '        check_finite(output, "output")\n        target = np.asarray(target)', "        target = np.asarray(target)"),
    M("sce-empty", "losses.py", "SoftmaxCrossEntropy accepts an empty batch",
      "        if output.size == 0:\n            raise ValueError(f\"output is empty: expected at least one row",
      "        if False:\n            raise ValueError(f\"output is empty: expected at least one row"),
    # ---------------------------------------------------------------- fitting.py
    M("fit-target-shape", "fitting.py", "fit accepts a (4,) target for a (4, 1) output",
      "if y_array.shape != (n, k):", "if y_array.size != n * k:"),
    M("fit-target-finite", "fitting.py", "fit accepts NaN/inf targets",
      "check_finite(y_array, y_name)", "pass"),
    M("fit-target-float", "fitting.py", "fit accepts targets of any dtype",
      "y_array = as_float_array(y, y_name, network.dtype)", "y_array = np.asarray(y)"),
    M("fit-label-count", "fitting.py", "fit accepts the wrong number of class labels",
      "if y_array.shape[0] != n:", "if False:"),
    M("fit-label-range", "fitting.py", "fit accepts class labels out of range",
      "if n and (y_array.min() < 0 or y_array.max() >= k):", "if False:"),
    M("fit-softmax-identity", "fitting.py", "SoftmaxCrossEntropy after a squashing activation",
      "if not isinstance(network.layers[-1].activation, Identity):", "if False:"),
    M("fit-loss-type", "fitting.py", "fit accepts any object as the loss",
      "elif not isinstance(loss, MeanSquaredError):", "elif False:"),
    M("fit-loss-default", "fitting.py", "a falsy non-loss falls back to the default loss",
      "loss = BinaryCrossEntropy() if loss is None else loss", "loss = loss or BinaryCrossEntropy()"),
    M("fit-network-type", "fitting.py", "fit accepts something that is not a network",
      "    if not isinstance(network, NeuralNetwork):\n        raise TypeError",
      "    if False:\n        raise TypeError"),
    M("fit-optimizer", "fitting.py", "fit accepts any object (or a class) as the optimizer",
      "optimizer = SGD(0.01) if optimizer is None else check_optimizer(optimizer)",
      "optimizer = SGD(0.01) if optimizer is None else optimizer"),
    M("fit-bce-sigmoid", "fitting.py", "fit trains BCE on outputs that are not probabilities",
      "        if not isinstance(network.layers[-1].activation, Sigmoid):\n            raise ValueError(",
      "        if False:\n            raise ValueError("),
    M("fit-bce-targets", "fitting.py", "fit trains BCE on targets outside [0, 1]",
      "        check_probabilities(y_array, y_name)", "        pass"),
    M("fit-validation-pair", "fitting.py", "validation_data that is not a pair gets no clear error",
      "if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):",
      "if False:"),
    M("fit-validation-checked", "fitting.py", "validation_data is not validated",
      'X_val, y_val = check_fit_data(network, *validation_data, loss, "X_val", "y_val")',
      "X_val, y_val = validation_data"),
    M("fit-epochs", "fitting.py", "fit accepts epochs <= 0 (and floats)",
      'epochs = check_positive_int(epochs, "epochs")', "epochs = int(epochs)"),
    M("fit-batch-size-type", "fitting.py", "fit accepts batch_size <= 0 and floats",
      'batch_size = n if batch_size is None else check_positive_int(batch_size, "batch_size")',
      "batch_size = n if batch_size is None else batch_size"),
    M("fit-batch-size-max", "fitting.py", "fit accepts batch_size > n",
      "if batch_size > n:", "if False:"),
    M("fit-print-every", "fitting.py", "fit accepts print_every <= 0",
      'print_every = check_positive_int(print_every, "print_every")', "pass"),
    M("fit-l2", "fitting.py", "fit accepts a negative or non-finite l2",
      "if not (np.isfinite(l2) and l2 >= 0):", "if False:"),
    M("fit-l2-type", "fitting.py", "fit accepts True as l2",
      "if isinstance(l2, (bool, np.bool_)) or not isinstance(l2, (int, float, np.integer, np.floating)):",
      "if False:"),
    M("fit-divergence", "fitting.py", "fit goes on training on a non-finite loss",
      "if not math.isfinite(value):\n                    raise diverged(",
      "if False:\n                    raise diverged("),
    M("fit-divergence-epoch", "fitting.py", "the divergence error does not name the epoch",
      'f"training diverged in epoch {epoch}, batch {batch}',
      'f"training diverged in batch {batch}'),
    M("fit-divergence-cause", "fitting.py", "the divergence error does not name the cause",
      'f"cause is a learning rate too large for this problem ({optimizer!r}); try one "',
      'f"cause is unknown ({optimizer!r}); try one "'),
    M("fit-divergence-weights", "fitting.py",
      "the divergence error always says the weights are finite",
      "finite = all(np.isfinite(p).all() for p in network.parameters())", "finite = True"),
    M("fit-errstate", "fitting.py",
      "overflow warnings escape fit instead of the FloatingPointError",
      'with np.errstate(over="ignore", invalid="ignore", divide="ignore"):', "if True:"),
    M("fit-rng", "fitting.py", "fit ignores its rng argument when shuffling",
      "rng = as_rng(rng) if batch_size < n else None",
      "rng = np.random.default_rng() if batch_size < n else None"),
    M("fit-shuffle-rng", "fitting.py", "fit shuffles with NumPy's global random state",
      "return rng.permutation(n)", "return np.random.permutation(n)"),
    # ---------------------------------------------------------------- trainstep.py
    M("trainstep-skip-update", "trainstep.py", "TrainStep updates the weights on a non-finite loss",
      "if math.isfinite(value):", "if True:"),
    M("trainstep-bce-logaddexp", "trainstep.py", "fused sigmoid-BCE uses log(1 + exp(z))",
      "np.logaddexp(0.0, z, out=work)", "np.log1p(np.exp(z), out=work)"),
    M("trainstep-softmax-max", "trainstep.py", "fused softmax-CE does not subtract the row maximum",
      "np.subtract(z, rowmax, out=delta)", "delta[...] = z"),
    # ---------------------------------------------------------------- training.py
    M("train-target-shape", "training.py", "train accepts a (4,) target for a (4, 1) output",
      "if y.shape != expected:", "if y.size != expected[0] * expected[1]:"),
    M("train-target-finite", "training.py", "train accepts NaN/inf targets",
      'check_finite(y, "y")', "pass"),
    M("train-learning-rate", "training.py", "train accepts a non-positive learning rate",
      'check_positive_float(learning_rate, "learning_rate")', "pass"),
    M("train-epochs", "training.py", "train accepts epochs <= 0",
      'check_positive_int(epochs, "epochs")', "pass"),
    # ---------------------------------------------------------------- optimizers.py
    M("step-finite-gradients", "optimizers.py", "an optimizer step spreads NaN gradients into the parameters",
      "        if not np.isfinite(gradient).all():\n            raise ValueError(",
      "        if False:\n            raise ValueError("),
    M("opt-learning-rate", "optimizers.py", "optimizers accept any learning rate",
      'self.learning_rate = check_positive_float(learning_rate, "learning_rate")',
      "self.learning_rate = float(learning_rate)"),
    M("opt-fraction-range", "optimizers.py", "momentum/rho/beta of 1 are accepted",
      "if not 0.0 <= value < 1.0:", "if not 0.0 <= value <= 1.0:"),
    M("opt-fraction-type", "optimizers.py", "momentum/rho/beta of any type are accepted",
      "if isinstance(value, (bool, np.bool_)) or not isinstance(\n"
      "        value, (int, float, np.integer, np.floating)\n    ):",
      "if False:"),
    M("opt-nesterov-momentum", "optimizers.py", "nesterov=True without momentum is accepted",
      "if nesterov and self.momentum == 0.0:", "if False:"),
    M("opt-nesterov-type", "optimizers.py", "nesterov of any type is accepted",
      "if not isinstance(nesterov, (bool, np.bool_)):", "if False:"),
    M("opt-gradient-count", "optimizers.py",
      "step zips gradients and parameters of different counts",
      "if len(gradients) != len(parameters):", "if False:"),
    M("opt-gradient-shape", "optimizers.py", "step broadcasts gradients of the wrong shape",
      "if np.shape(gradient) != parameter.shape:", "if False:"),
    M("opt-state-count", "optimizers.py", "a stateful optimizer accepts a new number of parameters",
      "if len(parameters) != len(expected):", "if False:"),
    M("opt-state-shape", "optimizers.py", "a stateful optimizer accepts parameters of a new shape",
      "if parameter.shape != shape:", "if False:"),
    M("opt-rmsprop-eps", "optimizers.py", "RMSProp accepts eps <= 0",
      'self.rho = check_fraction(rho, "rho")\n        self.eps = check_positive_float(eps, "eps")',
      'self.rho = check_fraction(rho, "rho")\n        self.eps = eps'),
    M("opt-adam-eps", "optimizers.py", "Adam accepts eps <= 0",
      'self.beta2 = check_fraction(beta2, "beta2")\n'
      '        self.eps = check_positive_float(eps, "eps")',
      'self.beta2 = check_fraction(beta2, "beta2")\n        self.eps = eps'),
    # ---------------------------------------------------------------- init.py (determinism)
    M("rng-seed", "init.py", "an int rng seed is ignored",
      "return np.random.default_rng(int(rng))", "return np.random.default_rng()"),
    M("rng-none-global", "init.py", "rng=None draws from (and advances) NumPy's global state",
      "if rng is None:\n        return np.random.default_rng()",
      "if rng is None:\n        return np.random.mtrand._rand"),
    M("rng-used-as-is", "init.py", "a Generator/RandomState passed as rng is replaced",
      'if callable(getattr(rng, "standard_normal", None)):\n        return rng',
      'if callable(getattr(rng, "standard_normal", None)):\n'
      "        return np.random.default_rng()"),
    M("rng-type", "init.py", "anything is accepted as rng",
      'raise TypeError(\n        "rng must be None, an int seed',
      "return np.random.default_rng()\n"
      '    raise TypeError(\n        "rng must be None, an int seed'),
    M("rng-initial-weights", "init.py", "initial weights come from NumPy's global state",
      "rng.standard_normal((fan_in, fan_out))", "np.random.standard_normal((fan_in, fan_out))"),
    M("init-scheme", "init.py", "an unknown init scheme falls back to 0.01",
      'raise ValueError(f"init must be one of {SCHEMES} or a positive number, got {init!r}")\n'
      "    if isinstance(init, (bool",
      "return 0.01\n    if isinstance(init, (bool"),
    M("init-positive", "init.py", "a zero/negative/non-finite init std is accepted",
      "if not math.isfinite(init) or init <= 0:", "if False:"),
    # ---------------------------------------------------------------- training.py
    M("train-output-finite", "training.py", "train goes on with a non-finite output",
      "            if not np.isfinite(output).all():", "            if False:"),
    M("train-divergence-epoch", "training.py", "train's divergence error does not name the epoch",
      "            except ValueError as error:\n                raise diverged(epoch, str(error), learning_rate) from None",
      "            except ZeroDivisionError as error:\n                raise diverged(epoch, str(error), learning_rate) from None"),
    M("train-loss-type", "training.py", "train accepts any object as the loss",
      "    if not isinstance(loss, (BinaryCrossEntropy, MeanSquaredError, SoftmaxCrossEntropy)):",
      "    if False:"),
    M("train-loss-default", "training.py", "a falsy non-loss falls back to the default loss",
      "loss = BinaryCrossEntropy() if loss is None else loss", "loss = loss or BinaryCrossEntropy()"),
    # ---------------------------------------------------------------- serialization.py
    M("load-names-the-file", "serialization.py", "a nonsense field gives an error that does not name the file",
      "        return _network_from(arrays, path)\n    except (TypeError, ValueError) as error:",
      "        return _network_from(arrays, path)\n    except ZeroDivisionError as error:"),
    M("load-integer-sizes", "serialization.py", "float layer sizes are truncated silently",
      '    if arrays["layer_sizes"].dtype.kind not in "iu":', "    if False:"),
    M("load-finite-weights", "serialization.py", "NaN weights load silently",
      "            if not np.isfinite(value).all():", "            if False:"),
    M("save-network-type", "serialization.py", "save accepts anything as the network",
      "if not isinstance(network, NeuralNetwork):", "if False:"),
    M("save-activation-known", "serialization.py", "save writes activations load cannot read",
      "if kind not in ACTIVATIONS:", "if False:"),
    M("save-bit-exact", "serialization.py", "save rounds the weights",
      'arrays[f"weights_{i}"] = layer.weights', 'arrays[f"weights_{i}"] = layer.weights.round(6)'),
    M("save-atomic", "serialization.py", "save writes straight into the target file",
      '        with os.fdopen(handle, "wb") as file:\n'
      "            np.savez(file, **arrays)\n"
      "            file.flush()\n"
      "            os.fsync(file.fileno())\n"
      "        os.replace(temporary, path)",
      "        os.close(handle)\n"
      "        os.remove(temporary)\n"
      '        with open(path, "wb") as file:\n'
      "            np.savez(file, **arrays)"),
    M("save-fsync", "serialization.py", "save renames the temporary file before it is on disk",
      "os.fsync(file.fileno())", "pass"),
    M("save-cleanup", "serialization.py", "a failed save leaves its temporary file behind",
      "if os.path.exists(temporary):\n            os.remove(temporary)", "pass"),
    M("load-no-pickle", "serialization.py", "load unpickles object arrays (can run code)",
      "np.load(file, allow_pickle=False)", "np.load(file, allow_pickle=True)"),
    M("load-missing-file", "serialization.py", "a missing file is not a FileNotFoundError",
      "if not path.exists():", "if False:"),
    M("load-unreadable", "serialization.py", "a truncated/non-zip file escapes as a raw error",
      "except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:",
      "except zipfile.BadZipFile as error:"),
    M("load-foreign", "serialization.py", "an .npz written by something else gets a KeyError",
      "if missing:", "if False:"),
    M("load-format-version", "serialization.py", "files of another format version are read",
      "if version != FORMAT_VERSION:", "if False:"),
    M("load-layer-count", "serialization.py", "inconsistent layer sizes and activations are read",
      "if len(names) != len(sizes) - 1 or len(params) != len(names):", "if False:"),
    M("load-unknown-activation", "serialization.py", "unknown activation names get a KeyError",
      "if unknown:", "if False:"),
    M("load-missing-weights", "serialization.py", "missing weights get a KeyError",
      "if key not in arrays:", "if False:"),
    M("load-weights-shape-dtype", "serialization.py",
      "weights of another shape/dtype are cast or broadcast",
      "if value.shape != target.shape or value.dtype != dtype:", "if False:"),
    M("load-dtype-kept", "serialization.py", "load always builds a float64 network",
      "network = NeuralNetwork(sizes, activations, rng=0, dtype=dtype)",
      "network = NeuralNetwork(sizes, activations, rng=0)"),
    M("load-leaky-alpha", "serialization.py", "load forgets LeakyReLU's alpha",
      'LeakyReLU(float(p)) if name == "LeakyReLU" else ACTIVATIONS[name]()', "ACTIVATIONS[name]()"),
]

CANARY = Mutation("canary", "__init__.py", "sanity: the copy is the package pytest imports",
                  '__version__ = "', 'raise ImportError("mutation audit canary")\n__version__ = "')


# ------------------------------------------------------------------------ the audit

def selected_tests(tests: Path) -> list[str]:
    """The fast test files that exercise the package.

    Not the book build (``test_book.py``), not the page tests (``*_page.py``,
    ``*_pages.py``) nor any other file marked ``book`` as a whole, not
    ``test_docstrings.py`` (it reads ``book/api``, which is not copied), and not the
    files that never mention scratchnet (the browser check of the built site): they
    cannot notice a mutation of the package.
    """
    skip = {"test_book.py", "test_docstrings.py"}
    selected = []
    for path in sorted(tests.glob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        if (
            path.name in skip
            or re.search(r"_pages?\.py$", path.name)
            or re.search(r"^pytestmark = pytest\.mark\.book$", source, re.MULTILINE)
            or PACKAGE not in source
        ):
            continue
        selected.append(f"tests/{path.name}")
    return selected


def check_in_sync(mutations: list[Mutation]) -> list[str]:
    """Errors for mutations whose ``old`` text is not found exactly once, or whose
    result does not compile."""
    errors = []
    names = [m.name for m in mutations]
    for name in sorted({n for n in names if names.count(n) > 1}):
        errors.append(f"{name}: the name is used twice")
    for m in mutations:
        path = ROOT / PACKAGE / m.file
        if not path.exists():
            errors.append(f"{m.name}: {PACKAGE}/{m.file} does not exist")
            continue
        source = path.read_text(encoding="utf-8")
        found = source.count(m.old)
        if found != 1:
            errors.append(
                f"{m.name}: old text found {found} times in {PACKAGE}/{m.file}: {m.old!r}"
            )
            continue
        mutated = source.replace(m.old, m.new)
        try:
            compile(mutated, str(path), "exec")
        except SyntaxError as error:
            errors.append(f"{m.name}: the mutated {PACKAGE}/{m.file} does not compile: {error}")
    return errors


class Workspace:
    """A copy of the package and its tests, where mutations are applied and undone."""

    def __init__(self, parent: Path, index: int) -> None:
        self.dir = parent / f"copy{index}"
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")
        shutil.copytree(ROOT / PACKAGE, self.dir / PACKAGE, ignore=ignore)
        shutil.copytree(ROOT / "tests", self.dir / "tests", ignore=ignore)
        shutil.copy2(ROOT / "pyproject.toml", self.dir / "pyproject.toml")
        self.env = dict(os.environ)
        self.env["PYTHONPATH"] = str(self.dir)
        self.env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.env.setdefault("MPLBACKEND", "Agg")

    def run(self, args: list[str], timeout: float) -> tuple[str, float, str]:
        """Run ``python args`` in the copy: (``passed``/``failed``/``timeout``, seconds, output)."""
        start = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, *args], cwd=self.dir, env=self.env, timeout=timeout,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )
        except subprocess.TimeoutExpired as error:
            out = error.stdout or ""
            out = out if isinstance(out, str) else out.decode(errors="replace")
            return "timeout", time.perf_counter() - start, out
        status = "passed" if done.returncode == 0 else "failed"
        return status, time.perf_counter() - start, done.stdout

    def pytest(self, tests: list[str], timeout: float) -> tuple[str, float, str]:
        return self.run(
            ["-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not book", *tests],
            timeout,
        )

    def mutate(self, m: Mutation, tests: list[str], timeout: float) -> tuple[str, float, str]:
        """Apply ``m``, run the tests, undo ``m``."""
        path = self.dir / PACKAGE / m.file
        original = path.read_text(encoding="utf-8")
        if original.count(m.old) != 1:
            raise SystemExit(f"{m.name}: old text not found exactly once in the copy of {m.file}")
        path.write_text(original.replace(m.old, m.new), encoding="utf-8")
        try:
            return self.pytest(tests, timeout)
        finally:
            path.write_text(original, encoding="utf-8")


def first_failure(output: str) -> str:
    """The test that killed a mutation, from pytest's short summary."""
    for line in output.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" - ")[0].split(" ", 1)[1]
    return "(no test named: collection or import error)"


def sanity(work: Workspace, tests: list[str], timeout: float) -> float:
    """Check that the copy is what gets imported and that its tests pass unmutated."""
    status, _, out = work.run(["-c", "import scratchnet; print(scratchnet.__file__)"], 60)
    imported = Path(out.strip().splitlines()[-1]).resolve() if out.strip() else None
    expected = (work.dir / PACKAGE / "__init__.py").resolve()
    if status != "passed" or imported != expected:
        raise SystemExit(
            f"sanity: scratchnet is imported from {imported}, expected {expected}\n{out}"
        )
    print(f"sanity: scratchnet is imported from the copy, {imported}")

    status, seconds, out = work.pytest(tests, timeout)
    if status != "passed":
        raise SystemExit(
            f"sanity: the UNMUTATED copy does not pass the selection ({status}):\n{out}"
        )
    summary = [line for line in out.splitlines() if " passed" in line]
    summary = summary[-1] if summary else out[-200:]
    print(f"sanity: unmutated copy passes in {seconds:.1f} s: {summary}")

    status, _, out = work.mutate(CANARY, tests, timeout)
    if status != "failed" or "mutation audit canary" not in out:
        raise SystemExit(f"sanity: the canary mutation of the copy was not seen by pytest:\n{out}")
    print("sanity: a canary mutation of the copy makes pytest fail (the copy is what is tested)")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run these mutations only")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--jobs", type=int, default=1, help="mutations run at once (default 1)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per mutation (default: 10 x the unmutated run, at least 120)")
    args = parser.parse_args(argv)

    mutations = MUTATIONS
    if args.only:
        unknown = sorted(set(args.only) - {m.name for m in MUTATIONS})
        if unknown:
            parser.error(f"unknown mutations {unknown}")
        mutations = [m for m in MUTATIONS if m.name in args.only]
    if args.list:
        for m in mutations:
            print(f"{m.name:28} {m.file:18} {m.what}")
        return 0

    errors = check_in_sync(MUTATIONS + [CANARY])
    if errors:
        print("The mutation list is out of sync with the source:", *errors,
              sep="\n  ", file=sys.stderr)
        return 2

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mutation_audit_") as temporary:
        jobs = max(1, min(args.jobs, len(mutations)))
        workspaces = [Workspace(Path(temporary), i) for i in range(jobs)]
        tests = selected_tests(workspaces[0].dir / "tests")
        print(f"{len(mutations)} mutations; tests: {' '.join(tests)}")
        baseline = sanity(workspaces[0], tests, args.timeout or 600)
        timeout = args.timeout or max(120.0, 10 * baseline)

        results: dict[str, tuple[str, float, str]] = {}
        free = list(workspaces)

        def one(m: Mutation) -> tuple[Mutation, tuple[str, float, str]]:
            work = free.pop()
            try:
                return m, work.mutate(m, tests, timeout)
            finally:
                free.append(work)

        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            for m, (status, seconds, out) in pool.map(one, mutations):
                verdicts = {"failed": "killed", "timeout": "killed (timeout)"}
                verdict = verdicts.get(status, "SURVIVED")
                by = first_failure(out) if status == "failed" else ""
                results[m.name] = (verdict, seconds, by)
                print(f"  {m.name:28} {verdict:16} {seconds:6.1f} s  {by}", flush=True)

    survived = [m for m in mutations if results[m.name][0] == "SURVIVED"]
    width = max(len(m.name) for m in mutations)
    print()
    print(f"{'mutation':{width}}  {'file':17}  {'result':16}  {'caught by / protection'}")
    print(f"{'-' * width}  {'-' * 17}  {'-' * 16}  {'-' * 40}")
    for m in mutations:
        verdict, _, by = results[m.name]
        print(f"{m.name:{width}}  {m.file:17}  {verdict:16}  {by or m.what}")
    print()
    print(f"{len(mutations)} mutations: {len(mutations) - len(survived)} killed, "
          f"{len(survived)} survived ({time.perf_counter() - started:.0f} s)")
    for m in survived:
        print(f"  SURVIVED {m.name}: no test fails when {m.what} ({PACKAGE}/{m.file})")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
