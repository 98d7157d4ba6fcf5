"""Saving and loading networks: one ``.npz`` file, no pickle, written atomically.

The file holds plain arrays only: a format version, the layer sizes, the name (and
parameter) of every activation, the dtype, and each layer's weights and bias. It is
read back without ever unpickling anything, so loading a file can never run code, and
it is written to a temporary file in the same folder first and then renamed over the
target, so a crash mid-write never leaves a half-written model behind.

A file is untrusted input: :func:`load` checks every array's header (shape, dtype,
size) against the bytes the file holds and against the layer sizes it declares before
it reads any weights, so a small crafted file cannot make it allocate gigabytes.
"""

from __future__ import annotations

import errno
import math
import os
import secrets
import stat
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, Dict, List, NamedTuple, Tuple, Union

import numpy as np

from .activations import Activation, Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from .layer import Layer
from .network import NeuralNetwork

FORMAT_VERSION = 1
ACTIVATIONS: Dict[str, type] = {
    cls.__name__: cls for cls in (Identity, LeakyReLU, ReLU, Sigmoid, Tanh)
}
_DTYPES = ("float32", "float64")
PathLike = Union[str, "os.PathLike[str]"]

_METADATA = ("format_version", "layer_sizes", "activations", "activation_params", "dtype")
_NPY = np.lib.format
_HEADER_READERS = {(1, 0): _NPY.read_array_header_1_0, (2, 0): _NPY.read_array_header_2_0}
# Deflate cannot expand data more than 1032-fold, so a deflated member claiming more is
# lying about its size (and would make NumPy allocate for data the file does not hold).
_EXPANSION = {zipfile.ZIP_STORED: 1, zipfile.ZIP_DEFLATED: 1032}
# what zipfile, zlib and NumPy's header parser raise for a file that is not a valid archive
_UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
               NotImplementedError, RuntimeError)


def save(network: NeuralNetwork, path: PathLike) -> Path:
    """Write ``network`` to ``path`` (``.npz`` is added if missing); return the path written.

    ``path`` is a ``str`` or a :class:`pathlib.Path`; the folder must exist. The file is
    written to a temporary file next to it and renamed into place, so readers see the
    old file or the new one, never half of one. A file that already exists keeps its
    permission bits; a new file gets the usual ones (``0o666`` less the umask).

    If ``path`` is a symbolic link, ``save`` writes *through* it: the file the link
    points to is replaced (atomically, by a temporary file in that file's folder) and
    the link stays a link. The returned path is ``path`` itself (plus ``.npz``).

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
        raise TypeError(f"network must be a NeuralNetwork, got {_describe(network)}")
    path = _npz_path(path)
    arrays = _arrays_of(network)

    target = _through_links(path)
    file, temporary = _temporary_next_to(target)
    try:
        with file:
            np.savez(file, **arrays)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    return path


def load(path: PathLike) -> NeuralNetwork:
    """Read a network written by :func:`save`; bit-exact weights, same dtype.

    ``path`` is a ``str`` or a :class:`pathlib.Path`. Like :func:`save`, ``load`` adds
    the ``.npz`` suffix: when ``path`` does not exist and does not end in ``.npz``,
    it reads ``path`` + ``.npz``, so ``load("model")`` reads what ``save(net, "model")``
    wrote.

    A file that is missing raises ``FileNotFoundError``, a folder ``IsADirectoryError``;
    one that is not a readable network file (truncated, corrupted, a text or ``.npy``
    file, written by something else or by a newer format) raises ``ValueError`` saying
    why. Nothing in the file is ever unpickled, and every size the file declares is
    checked against the data it holds before anything of that size is allocated.

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
    path = _saved_file(_as_path(path))
    where = repr(str(path))
    with open(path, "rb") as file:
        try:
            archive = zipfile.ZipFile(file)
        except _UNREADABLE:
            error = "it is not an .npz (zip) archive"
            if _starts_with(file, _NPY.MAGIC_PREFIX):
                error = "it is a .npy file holding one array, not an .npz archive"
            raise ValueError(f"{where} is not a readable scratchnet .npz file ({error})") from None
        with archive:
            headers = _headers(archive, os.fstat(file.fileno()).st_size, where)
            return _network_from(archive, headers, where)


# ---------------------------------------------------------------- arguments and paths


def _describe(value: object) -> str:
    if isinstance(value, type):
        return f"the class {value.__name__}"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


def _as_path(path: object) -> Path:
    """``path`` as a :class:`Path`: a ``str`` or an ``os.PathLike`` naming a ``str``."""
    name = os.fspath(path) if isinstance(path, (str, os.PathLike)) else None
    if not isinstance(name, str):
        raise TypeError(
            f"path must be a str or os.PathLike such as pathlib.Path, got {_describe(path)}"
        )
    if not name or "\0" in name:
        raise ValueError(f"path must be a non-empty file name without NUL characters, got {name!r}")
    return Path(name)


def _npz_path(path: object) -> Path:
    """Where ``save`` writes: ``path``, with ``.npz`` added if it does not end in it."""
    path = _as_path(path)
    if path.is_dir():
        raise IsADirectoryError(
            f"cannot save to {str(path)!r}: it is a directory; give a file name such as "
            f"{str(path / 'model.npz')!r}")
    return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")


def _saved_file(path: Path) -> Path:
    """The regular file ``load`` reads: ``path``, or ``path.npz`` when ``path`` is missing."""
    tried = [path] if path.suffix == ".npz" else [path, path.with_name(path.name + ".npz")]
    for candidate in tried:
        try:
            mode = os.stat(candidate).st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(f"{str(candidate)!r} is a directory, not a saved network")
        if not stat.S_ISREG(mode):
            raise ValueError(f"{str(candidate)!r} is not a regular file, so not a saved network")
        return candidate
    also = f" (nor at {str(tried[1])!r})" if len(tried) > 1 else ""
    raise FileNotFoundError(f"no saved network at {str(path)!r}{also}")


def _through_links(path: Path) -> Path:
    """The file a write to ``path`` replaces: ``path``, or the file its links lead to."""
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    if os.path.islink(target):  # realpath leaves a link in a loop unresolved
        raise OSError(errno.ELOOP, "too many levels of symbolic links", str(path))
    if target.is_dir():
        raise IsADirectoryError(f"cannot save to {str(path)!r}: it is a directory")
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(
            f"cannot save to {str(path)!r}: folder {str(folder)!r} does not exist")
    return target


def _temporary_next_to(target: Path) -> Tuple[BinaryIO, Path]:
    """A new, empty file in ``target``'s folder, named after it, opened for writing.

    It gets ``target``'s permission bits if ``target`` exists; otherwise the kernel
    applies the umask to ``0o666``, exactly as for any file a program creates.
    """
    try:
        keep = stat.S_IMODE(os.stat(target).st_mode) & 0o777
    except FileNotFoundError:
        keep = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        temporary = target.with_name(f"{target.name[:200]}.{secrets.token_hex(4)}.tmp")
        try:
            handle = os.open(temporary, flags, 0o666)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - a hundred random names all taken
        raise FileExistsError(errno.EEXIST, "no free temporary file name", str(target))
    try:
        if keep is not None:
            if hasattr(os, "fchmod"):
                os.fchmod(handle, keep)
            else:  # pragma: no cover - Windows before Python 3.13
                os.chmod(temporary, keep)
        return os.fdopen(handle, "wb"), temporary
    except BaseException:
        os.close(handle)
        os.remove(temporary)
        raise


# ---------------------------------------------------------------- saving


def _arrays_of(network: NeuralNetwork) -> Dict[str, np.ndarray]:
    """The arrays of the file; refuses a network ``load`` could not read back."""
    layers = getattr(network, "layers", None)
    dtype = getattr(network, "dtype", None)
    if not isinstance(layers, list) or not layers \
            or not all(isinstance(layer, Layer) for layer in layers) \
            or not isinstance(dtype, np.dtype) or dtype.name not in _DTYPES:
        raise ValueError(
            "network has no layers or no float dtype to save (it was not built by "
            "NeuralNetwork())"
        )
    names, params = [], []
    arrays: Dict[str, np.ndarray] = {}
    for i, layer in enumerate(layers):
        kind = type(layer.activation).__name__
        if kind not in ACTIVATIONS or type(layer.activation) is not ACTIVATIONS[kind]:
            raise TypeError(
                f"cannot save activation {layer.activation!r}: saving supports "
                f"{sorted(ACTIVATIONS)}"
            )
        names.append(kind)
        params.append(getattr(layer.activation, "alpha", np.nan))
        weights, bias = layer.weights, layer.bias
        if not (isinstance(weights, np.ndarray) and isinstance(bias, np.ndarray)) \
                or weights.ndim != 2:
            raise TypeError(
                f"network must be a single NeuralNetwork with 2-D weights, got a "
                f"{type(network).__name__} whose layer {i} holds weights of shape "
                f"{np.shape(weights)}; save one run at a time: save(batch.network(run), path)"
            )
        expected_inputs = weights.shape[0] if i == 0 else layers[i - 1].weights.shape[1]
        if weights.shape[0] != expected_inputs or bias.shape != (1, weights.shape[1]) \
                or weights.dtype != dtype or bias.dtype != dtype:
            raise ValueError(
                f"network is inconsistent: layer {i} holds weights {weights.shape} "
                f"{weights.dtype} and bias {bias.shape} {bias.dtype} (network dtype {dtype})"
            )
        for key, value in ((f"weights_{i}", weights), (f"bias_{i}", bias)):
            if not np.isfinite(value).all():
                raise ValueError(
                    f"network holds NaN or infinite values in {key}; load would refuse the file"
                )
            arrays[key] = value
    return {
        "format_version": np.array(FORMAT_VERSION),
        "layer_sizes": np.array(network.layer_sizes, dtype=np.int64),
        "activations": np.array(names),
        "activation_params": np.array(params, dtype=np.float64),
        "dtype": np.array(dtype.name),
        **arrays,
    }


# ---------------------------------------------------------------- loading


class _Header(NamedTuple):
    info: zipfile.ZipInfo
    shape: Tuple[int, ...]
    dtype: np.dtype


def _starts_with(file: BinaryIO, prefix: bytes) -> bool:
    file.seek(0)
    return file.read(len(prefix)) == prefix


def _headers(archive: zipfile.ZipFile, file_size: int, where: str) -> Dict[str, _Header]:
    """Every array's shape and dtype, read from its header alone, after checking that
    its data is all in the file: the sizes NumPy will allocate are the sizes held."""

    def unreadable(reason: str) -> ValueError:
        return ValueError(f"{where} is not a readable scratchnet .npz file ({reason})")

    infos = archive.infolist()
    if sum(info.compress_size for info in infos) > file_size:
        raise unreadable(f"its arrays claim more than the file's {file_size} bytes")
    headers: Dict[str, _Header] = {}
    for info in infos:
        key = info.filename[:-4]
        if not info.filename.endswith(".npy"):
            raise unreadable(f"{info.filename!r} is not a .npy array")
        if key in headers:
            raise unreadable(f"it holds two arrays named {key!r}")
        expansion = _EXPANSION.get(info.compress_type)
        if expansion is None or info.flag_bits & 0x1:
            raise unreadable(f"{key} is encrypted or compressed with an unsupported method")
        if info.file_size > expansion * info.compress_size:
            raise unreadable(f"{key} claims {info.file_size} bytes, more than it holds")
        try:
            with archive.open(info) as member:
                reader = _HEADER_READERS.get(_NPY.read_magic(member))
                if reader is None:
                    raise ValueError("unsupported .npy format version")
                shape, _, dtype = reader(member)
                header_size = member.tell()
        except _UNREADABLE as error:
            raise unreadable(f"{key}: {error}") from None
        if dtype.hasobject:
            raise unreadable(f"{key} holds Python objects, which load never unpickles")
        size = math.prod(shape) * dtype.itemsize
        if header_size + size != info.file_size:
            raise unreadable(
                f"{key} declares shape {shape} {dtype} ({size} bytes) but holds "
                f"{info.file_size - header_size} bytes"
            )
        headers[key] = _Header(info, shape, dtype)
    return headers


def _read(archive: zipfile.ZipFile, header: _Header, where: str) -> np.ndarray:
    key = header.info.filename[:-4]
    try:
        with archive.open(header.info) as member:
            return _NPY.read_array(member, allow_pickle=False)
    except _UNREADABLE as error:
        raise ValueError(f"{where} is not a readable scratchnet .npz file ({key}: {error})") \
            from None


def _short(values: np.ndarray) -> str:
    listed = values.tolist()
    return str(listed) if values.size <= 10 else f"{listed[:10]} ... ({values.size} values)"


def _network_from(
    archive: zipfile.ZipFile, headers: Dict[str, _Header], where: str
) -> NeuralNetwork:
    """Check what the file declares against what it holds, then build the network."""
    missing = [key for key in _METADATA if key not in headers]
    if missing:
        raise ValueError(f"{where} is not a scratchnet network file: missing {sorted(missing)}")

    def invalid(reason: str) -> ValueError:
        return ValueError(f"{where} is not a valid scratchnet network file: {reason}")

    def corrupted(reason: str) -> ValueError:
        return ValueError(f"{where} is corrupted: {reason}")

    def field(key: str, kinds: str, ndim: int, what: str) -> np.ndarray:
        header = headers[key]
        if header.dtype.kind not in kinds or len(header.shape) != ndim:
            raise invalid(f"{key} must be {what}, got shape {header.shape} {header.dtype}")
        return _read(archive, header, where)

    version = field("format_version", "iu", 0, "an integer")
    if int(version) != FORMAT_VERSION:
        raise ValueError(
            f"{where} has format version {int(version)}; this scratchnet reads version "
            f"{FORMAT_VERSION}"
        )
    if headers["layer_sizes"].dtype.kind not in "iu":
        raise corrupted(f"layer_sizes must be integers, got {headers['layer_sizes'].dtype}")
    stored_sizes = field("layer_sizes", "iu", 1, "a 1-D array of integers")
    if stored_sizes.size < 2 or (stored_sizes < 1).any():
        raise invalid(
            f"layer_sizes must hold at least 2 positive integers, got {_short(stored_sizes)}")
    sizes: List[int] = [int(n) for n in stored_sizes]
    names = field("activations", "U", 1, "a 1-D array of activation names")
    params = field("activation_params", "f", 1, "a 1-D array of floats")
    if len(names) != len(sizes) - 1:
        raise corrupted(f"{len(sizes)} layer sizes but {len(names)} activations")
    if len(params) != len(names):
        raise corrupted(f"{len(names)} activations but {len(params)} activation_params")
    unknown = [str(name) for name in names if str(name) not in ACTIVATIONS]
    if unknown:
        raise ValueError(f"{where} uses unknown activations {unknown[:10]}")
    activations: List[Activation] = []
    for i, (name, alpha) in enumerate(zip(names.tolist(), params.tolist())):
        if name == "LeakyReLU" and not 0.0 <= alpha < 1.0:  # also refuses NaN
            raise invalid(f"activation_params[{i}] (the LeakyReLU alpha) must be in [0, 1), "
                          f"got {alpha}")
        activations.append(LeakyReLU(alpha) if name == "LeakyReLU" else ACTIVATIONS[name]())
    dtype_name = field("dtype", "U", 0, "a dtype name")
    if str(dtype_name) not in _DTYPES:
        raise invalid(f"dtype must be one of {list(_DTYPES)}, got {str(dtype_name)[:40]!r}")
    dtype = np.dtype(str(dtype_name))

    # every array the layer sizes call for, of the right shape and dtype: only now are the
    # declared sizes known to be the sizes of data the file holds
    expected: Dict[str, Tuple[int, ...]] = {}
    for i in range(len(sizes) - 1):
        expected[f"weights_{i}"] = (sizes[i], sizes[i + 1])
        expected[f"bias_{i}"] = (1, sizes[i + 1])
    for key, shape in expected.items():
        if key not in headers:
            raise corrupted(f"{key} is missing")
        header = headers[key]
        if header.shape != shape or header.dtype.newbyteorder("=") != dtype:
            raise corrupted(
                f"{key} should be {shape} {dtype}, got {header.shape} {header.dtype}"
            )
    extra = sorted(set(headers) - set(expected) - set(_METADATA))
    if extra:
        raise corrupted(
            f"it holds arrays a network of {len(sizes)} layer sizes does not have: {extra[:10]}"
        )

    # the layers are built 1 x 1 and given the stored arrays: no weights are drawn
    network = NeuralNetwork([1] * len(sizes), activations, rng=0, dtype=dtype)
    for i, layer in enumerate(network.layers):
        for name in ("weights", "bias"):
            key = f"{name}_{i}"
            value = np.ascontiguousarray(_read(archive, headers[key], where), dtype=dtype)
            if not np.isfinite(value).all():
                raise corrupted(f"{key} holds NaN or infinite values")
            setattr(layer, name, value)
    return network
