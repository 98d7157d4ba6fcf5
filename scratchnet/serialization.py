"""Saving and loading networks: one ``.npz`` file, no pickle, written atomically.

The file holds plain arrays only: a format version, the layer sizes, the name (and
parameter) of every activation, the dtype, and each layer's weights and bias. It is
read back with ``allow_pickle=False``, so loading a file can never run code, and it is
written to a temporary file in the same folder first and then renamed over the target,
so a crash mid-write never leaves a half-written model behind.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import Dict, Union

import numpy as np

from .activations import Activation, Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from .network import NeuralNetwork

FORMAT_VERSION = 1
ACTIVATIONS: Dict[str, type] = {
    cls.__name__: cls for cls in (Identity, LeakyReLU, ReLU, Sigmoid, Tanh)
}
PathLike = Union[str, "os.PathLike[str]"]


def save(network: NeuralNetwork, path: PathLike) -> Path:
    """Write ``network`` to ``path`` (``.npz`` is added if missing); return the path.

    ``path`` is a ``str`` or a :class:`pathlib.Path`; the folder must exist.

    Example
    -------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from scratchnet import NeuralNetwork, ReLU, Sigmoid, save
    >>> net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=0)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save(net, Path(folder) / "xor")
    ...     print(path.name)
    xor.npz
    """
    if not isinstance(network, NeuralNetwork):
        raise TypeError(f"network must be a NeuralNetwork, got {type(network).__name__}")
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    names, params = [], []
    for layer in network.layers:
        kind = type(layer.activation).__name__
        if kind not in ACTIVATIONS:
            raise TypeError(
                f"cannot save activation {layer.activation!r}: saving supports "
                f"{sorted(ACTIVATIONS)}"
            )
        names.append(kind)
        params.append(getattr(layer.activation, "alpha", np.nan))
    arrays = {
        "format_version": np.array(FORMAT_VERSION),
        "layer_sizes": np.array(network.layer_sizes, dtype=np.int64),
        "activations": np.array(names),
        "activation_params": np.array(params, dtype=np.float64),
        "dtype": np.array(network.dtype.name),
    }
    for i, layer in enumerate(network.layers):
        arrays[f"weights_{i}"] = layer.weights
        arrays[f"bias_{i}"] = layer.bias

    handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(file, **arrays)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    return path


def load(path: PathLike) -> NeuralNetwork:
    """Read a network written by :func:`save`; bit-exact weights, same dtype.

    A file that is missing raises ``FileNotFoundError``; one that is not a readable
    network file (truncated, corrupted, written by something else or by a newer
    format) raises ``ValueError`` saying why.

    Example
    -------
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> from scratchnet import NeuralNetwork, ReLU, Sigmoid, load, save, xor
    >>> net = NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=0)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     copy = load(save(net, Path(folder) / "xor.npz"))
    >>> copy
    NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()])
    >>> X, y = xor()
    >>> bool(np.array_equal(copy.forward(X), net.forward(X)))
    True
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no saved network at {str(path)!r}")
    try:
        # open the file here, so that it is closed even when NumPy cannot parse it
        with open(path, "rb") as file, np.load(file, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ValueError(
            f"{str(path)!r} is not a readable scratchnet .npz file ({error})"
        ) from None
    try:
        return _network_from(arrays, path)
    except (TypeError, ValueError) as error:
        if str(path) in str(error):
            raise
        # a field of the right name holding nonsense (a dtype "bogus", a size 0, ...)
        raise ValueError(f"{str(path)!r} is not a valid scratchnet network file: {error}") from None


def _network_from(arrays: Dict[str, np.ndarray], path: Path) -> NeuralNetwork:
    where = repr(str(path))
    required = {"format_version", "layer_sizes", "activations", "activation_params", "dtype"}
    missing = sorted(required - set(arrays))
    if missing:
        raise ValueError(f"{where} is not a scratchnet network file: missing {missing}")
    version = int(arrays["format_version"])
    if version != FORMAT_VERSION:
        raise ValueError(
            f"{where} has format version {version}; this scratchnet reads version "
            f"{FORMAT_VERSION}"
        )
    if arrays["layer_sizes"].dtype.kind not in "iu":
        raise ValueError(
            f"{where} is corrupted: layer_sizes must be integers, got {arrays['layer_sizes'].dtype}"
        )
    sizes = [int(n) for n in arrays["layer_sizes"]]
    names = [str(name) for name in arrays["activations"]]
    params = arrays["activation_params"]
    if len(names) != len(sizes) - 1 or len(params) != len(names):
        raise ValueError(f"{where} is corrupted: {len(sizes)} layer sizes but {len(names)} activations")
    unknown = [name for name in names if name not in ACTIVATIONS]
    if unknown:
        raise ValueError(f"{where} uses unknown activations {unknown}")
    activations: list[Activation] = [
        LeakyReLU(float(p)) if name == "LeakyReLU" else ACTIVATIONS[name]()
        for name, p in zip(names, params)
    ]
    dtype = np.dtype(str(arrays["dtype"]))
    network = NeuralNetwork(sizes, activations, rng=0, dtype=dtype)
    for i, layer in enumerate(network.layers):
        for name, target in (("weights", layer.weights), ("bias", layer.bias)):
            key = f"{name}_{i}"
            if key not in arrays:
                raise ValueError(f"{where} is corrupted: {key} is missing")
            value = arrays[key]
            if value.shape != target.shape or value.dtype != dtype:
                raise ValueError(
                    f"{where} is corrupted: {key} should be {target.shape} {dtype}, "
                    f"got {value.shape} {value.dtype}"
                )
            if not np.isfinite(value).all():
                raise ValueError(f"{where} is corrupted: {key} holds NaN or infinite values")
            target[...] = value
    return network
