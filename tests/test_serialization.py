"""save / load: bit-exact round trips, atomic writes, clear errors for bad files."""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import time
import tracemalloc
import warnings
import zipfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from scratchnet import (
    Activation,
    Identity,
    LeakyReLU,
    NetworkBatch,
    NeuralNetwork,
    ReLU,
    Sigmoid,
    Tanh,
    load,
    save,
)
from scratchnet import serialization


posix_only = pytest.mark.skipif(os.name != "posix",
                                reason="POSIX permission bits, umask, symbolic links, FIFOs")


def network(dtype=np.float64):
    return NeuralNetwork([3, 5, 4, 2], [LeakyReLU(0.2), Tanh(), Identity()], rng=7, init="he",
                         dtype=dtype)


def xor_net():
    return NeuralNetwork([2, 4, 1], [ReLU(), Sigmoid()], rng=0)


def rewritten(path, drop=(), **changes):
    """Rewrite the saved network at ``path`` with some arrays changed or dropped."""
    with np.load(path) as data:
        arrays = {key: data[key] for key in data.files if key not in drop}
    arrays.update(changes)
    np.savez(path, **arrays)
    return path


class Square(Activation):
    @staticmethod
    def forward(x):
        return x * x

    @staticmethod
    def backward(x):
        return 2 * x


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_round_trip_is_bit_exact(tmp_path, dtype):
    original = network(dtype)
    path = save(original, tmp_path / "model.npz")
    restored = load(path)
    assert restored.layer_sizes == original.layer_sizes
    assert [l.activation for l in restored.layers] == [l.activation for l in original.layers]
    assert restored.dtype == original.dtype
    for a, b in zip(restored.parameters(), original.parameters()):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    x = np.random.default_rng(0).normal(size=(6, 3)).astype(dtype)
    assert np.array_equal(restored.forward(x), original.forward(x))


@pytest.mark.parametrize("original", [
    NeuralNetwork([2, 1], [Sigmoid()], rng=3),  # the smallest network: two layer sizes
    NeuralNetwork([2, 3, 1], [LeakyReLU(0.0), LeakyReLU(0.5)], rng=3),  # alpha 0 is allowed
], ids=["two-layer-sizes", "leaky-alpha-zero"])
def test_edge_networks_round_trip(tmp_path, original):
    restored = load(save(original, tmp_path / "model.npz"))
    assert restored.layer_sizes == original.layer_sizes
    assert [l.activation for l in restored.layers] == [l.activation for l in original.layers]
    for a, b in zip(restored.parameters(), original.parameters()):
        assert np.array_equal(a, b)


def test_suffix_is_added_and_no_temporary_file_is_left(tmp_path):
    path = save(NeuralNetwork([2, 2, 1], [ReLU(), Sigmoid()], rng=0), tmp_path / "net")
    assert path.name == "net.npz" and path.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.npz"]


def test_a_failed_write_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = save(network(), tmp_path / "model.npz")
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(serialization.np, "savez", crash)
    with pytest.raises(OSError, match="disk full"):
        save(NeuralNetwork([2, 2, 1], [ReLU(), Sigmoid()], rng=1), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


def test_save_flushes_the_temporary_file_to_disk_before_renaming_it(tmp_path, monkeypatch):
    # without fsync, a crash after the rename can leave an empty or partial file under
    # the target's name
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append("fsync")
        real_fsync(fd)

    def replace(source, target):
        events.append("replace")
        real_replace(source, target)

    monkeypatch.setattr(serialization.os, "fsync", fsync)
    monkeypatch.setattr(serialization.os, "replace", replace)
    save(xor_net(), tmp_path / "model.npz")
    assert events == ["fsync", "replace"]


def test_save_writes_its_temporary_file_next_to_the_target(tmp_path, monkeypatch):
    """The temporary file is made in the target's own directory, named after it, so that
    the final rename stays on one file system (atomic) and a leftover is recognisable;
    nothing but the target remains afterwards."""
    made = []
    real_replace = os.replace

    def replace(source, target):
        made.append(Path(source))
        real_replace(source, target)

    monkeypatch.setattr(serialization.os, "replace", replace)
    folder = tmp_path / "models"
    folder.mkdir()
    path = save(xor_net(), folder / "model.npz")
    assert len(made) == 1
    assert made[0].parent == folder
    assert made[0].name.startswith("model.npz") and made[0].name.endswith(".tmp")
    assert sorted(p.name for p in folder.iterdir()) == [path.name]


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no saved network"):
        load(tmp_path / "nothing.npz")


def test_a_missing_npz_file_is_named_alone(tmp_path):
    # a name ending in .npz is read as given: load does not go looking for "x.npz.npz"
    save(xor_net(), tmp_path / "nothing.npz.npz")
    with pytest.raises(FileNotFoundError, match=r"^no saved network at '.*nothing\.npz'$"):
        load(tmp_path / "nothing.npz")


@posix_only
def test_load_refuses_a_path_that_is_not_a_regular_file(tmp_path):
    pipe = tmp_path / "model.npz"
    os.mkfifo(pipe)
    with pytest.raises(ValueError, match=r"^'.*model\.npz' is not a regular file, so not a "
                                         r"saved network$"):
        load(pipe)


def test_truncated_file(tmp_path):
    path = save(network(), tmp_path / "model.npz")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ValueError, match="not a readable scratchnet .npz file"):
        load(path)


def test_garbage_file(tmp_path):
    path = tmp_path / "model.npz"
    path.write_bytes(b"this is not a zip file at all")
    with pytest.raises(ValueError, match="not a readable scratchnet .npz file"):
        load(path)


def test_foreign_npz_file(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, a=np.arange(3))
    with pytest.raises(ValueError, match="not a scratchnet network file: missing"):
        load(path)


def test_pickled_object_arrays_are_refused(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, format_version=np.array(1), layer_sizes=np.array([2, 1]),
             activations=np.array([object()], dtype=object),
             activation_params=np.array([np.nan]), dtype=np.array("float64"))
    with pytest.raises(ValueError, match="not a readable scratchnet .npz file"):
        load(path)


def test_incompatible_format_version(tmp_path):
    path = save(network(), tmp_path / "model.npz")
    with np.load(path) as data:
        arrays = dict(data)
    arrays["format_version"] = np.array(99)
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="format version 99"):
        load(path)


def test_corrupted_weights_shape(tmp_path):
    path = save(network(), tmp_path / "model.npz")
    with np.load(path) as data:
        arrays = dict(data)
    arrays["weights_1"] = np.zeros((2, 2))
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=r"weights_1 should be \(5, 4\) float64"):
        load(path)


def test_load_refuses_layer_sizes_and_activations_that_disagree(tmp_path):
    path = rewritten(save(xor_net(), tmp_path / "model.npz"),
                     activations=np.array(["ReLU"]), activation_params=np.array([np.nan]))
    with pytest.raises(
        ValueError, match=r"model\.npz' is corrupted: 3 layer sizes but 1 activations$"
    ):
        load(path)


def test_load_refuses_an_unknown_activation_name(tmp_path):
    # a clear ValueError, not a KeyError
    path = rewritten(save(xor_net(), tmp_path / "model.npz"),
                     activations=np.array(["ReLU", "Softplus"]))
    with pytest.raises(ValueError, match=r"model\.npz' uses unknown activations \['Softplus'\]$"):
        load(path)


def test_load_refuses_a_file_with_missing_weights(tmp_path):
    # a clear ValueError, not a KeyError
    path = rewritten(save(xor_net(), tmp_path / "model.npz"), drop=("weights_1",))
    with pytest.raises(ValueError, match=r"model\.npz' is corrupted: weights_1 is missing$"):
        load(path)


def test_corrupted_bytes_inside_the_zip(tmp_path):
    path = save(network(), tmp_path / "model.npz")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("weights_1.npy")
    middle = member.header_offset + 100 + member.file_size // 2
    data[middle] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="not a readable scratchnet .npz file") as error:
        load(path)
    # the message names the file and the array whose bytes are damaged
    assert str(error.value).startswith(f"{str(path)!r} is not a readable")
    assert "(weights_1: " in str(error.value)


def test_damaged_bytes_deep_inside_a_large_array_are_reported_with_its_name(tmp_path):
    # weights_1 holds 40 x 40 float64 (12800 bytes): its header reads fine, and the
    # damage only shows (as a CRC error) when the weights themselves are read
    path = save(NeuralNetwork([3, 40, 40, 2], [Tanh(), Tanh(), Identity()], rng=0),
                tmp_path / "model.npz")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("weights_1.npy")
    data[member.header_offset + 100 + member.file_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError) as error:
        load(path)
    assert re.fullmatch(rf"{re.escape(repr(str(path)))} is not a readable scratchnet \.npz "
                        r"file \(weights_1: .*CRC.*\)", str(error.value))


def test_save_rejects_non_networks(tmp_path):
    with pytest.raises(TypeError, match="network must be a NeuralNetwork"):
        save("not a network", tmp_path / "x.npz")


@pytest.mark.parametrize("length, shown", [
    (58, "'" + "a" * 58 + "'"),  # a repr of 60 characters is shown whole
    (59, "'" + "a" * 56 + "..."),  # a longer one is cut to 57 characters and "..."
])
def test_a_long_value_is_shortened_in_the_error_message(tmp_path, length, shown):
    with pytest.raises(TypeError) as error:
        save("a" * length, tmp_path / "x.npz")
    assert str(error.value) == f"network must be a NeuralNetwork, got str {shown}"


class Hollow(NeuralNetwork):
    """A NeuralNetwork whose __init__ never ran: no layers, no dtype."""

    def __init__(self):
        pass


def emptied():
    net = xor_net()
    net.layers = []
    return net


def with_a_stranger_layer():
    net = xor_net()
    net.layers.append("a layer")
    return net


def float16_network():
    net = xor_net()
    net.dtype = np.dtype(np.float16)
    for layer in net.layers:
        layer.weights, layer.bias = layer.weights.astype(np.float16), layer.bias.astype(np.float16)
    return net


@pytest.mark.parametrize("make", [Hollow, emptied, with_a_stranger_layer, float16_network],
                         ids=["no-layers-no-dtype", "empty-layers", "a-non-layer", "float16"])
def test_save_refuses_a_network_not_built_by_neuralnetwork(tmp_path, make):
    with pytest.raises(ValueError) as error:
        save(make(), tmp_path / "model.npz")
    assert str(error.value) == ("network has no layers or no float dtype to save (it was not "
                                "built by NeuralNetwork())")
    assert list(tmp_path.iterdir()) == []


def inconsistent(layer, name, value):
    def make():
        net = network()  # [3, 5, 4, 2], float64
        setattr(net.layers[layer], name, value)
        return net
    return make


@pytest.mark.parametrize("make, held", [
    (inconsistent(1, "weights", np.ones((4, 4))), r"layer 1 holds weights \(4, 4\) float64 "
     r"and bias \(1, 4\) float64"),  # 4 inputs after a layer of 5 outputs
    (inconsistent(0, "bias", np.ones((1, 4))), r"layer 0 holds weights \(3, 5\) float64 "
     r"and bias \(1, 4\) float64"),
    (inconsistent(2, "weights", np.ones((4, 2), np.float32)), r"layer 2 holds weights "
     r"\(4, 2\) float32 and bias \(1, 2\) float64"),
    (inconsistent(2, "bias", np.ones((1, 2), np.float32)), r"layer 2 holds weights "
     r"\(4, 2\) float64 and bias \(1, 2\) float32"),
], ids=["inputs-mismatch", "bias-shape", "weights-dtype", "bias-dtype"])
def test_save_refuses_an_inconsistent_network(tmp_path, make, held):
    with pytest.raises(ValueError, match=rf"^network is inconsistent: {held} \(network dtype "
                                         r"float64\)$"):
        save(make(), tmp_path / "model.npz")
    assert list(tmp_path.iterdir()) == []


def test_save_refuses_a_bias_that_is_not_an_array(tmp_path):
    net = xor_net()
    net.layers[0].bias = [[0.0] * 4]
    with pytest.raises(TypeError, match=r"whose layer 0 holds weights of shape \(2, 4\)"):
        save(net, tmp_path / "model.npz")
    assert list(tmp_path.iterdir()) == []


def test_save_refuses_an_activation_load_could_not_read(tmp_path):
    network = NeuralNetwork([2, 3, 1], [Square(), Sigmoid()], rng=0)
    with pytest.raises(TypeError) as error:
        save(network, tmp_path / "model.npz")
    assert str(error.value) == (
        "cannot save activation Square(): saving supports "
        "['Identity', 'LeakyReLU', 'ReLU', 'Sigmoid', 'Tanh']"
    )
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- hostile files and arguments
#
# Every case builds something hostile in tmp_path and returns the call that must refuse it.
# The table checks the exception type, that the message says what is wrong (match), that
# a file's problem names the file, that no message suggests unpickling, and that the call
# allocates almost nothing (a file that declares a 2-billion-unit layer must not make load
# allocate the layer).

def xor_arrays():
    """The arrays of a saved xor network, by name."""
    buffer = io.BytesIO()
    net = xor_net()
    np.savez(buffer, **{f"weights_{i}": layer.weights for i, layer in enumerate(net.layers)},
             **{f"bias_{i}": layer.bias for i, layer in enumerate(net.layers)})
    arrays = {
        "format_version": np.array(1),
        "layer_sizes": np.array([2, 4, 1]),
        "activations": np.array(["ReLU", "Sigmoid"]),
        "activation_params": np.array([np.nan, np.nan]),
        "dtype": np.array("float64"),
    }
    with np.load(io.BytesIO(buffer.getvalue())) as data:
        arrays.update({key: data[key] for key in data.files})
    return arrays


def npy_bytes(array):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asanyarray(array), allow_pickle=False)
    return buffer.getvalue()


def lying_npy(shape, data=b"\0" * 64):
    """A .npy member whose header declares ``shape`` float64 but which holds ``data``."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buffer, {"descr": "<f8", "fortran_order": False, "shape": shape})
    return buffer.getvalue() + data


def xor_members(**replaced):
    """The (name, bytes) members of a saved xor network, some replaced by raw bytes."""
    members = [(f"{key}.npy", npy_bytes(value)) for key, value in xor_arrays().items()]
    return [(name, replaced.get(name[:-4], data)) for name, data in members]


def edited(drop=(), **changes):
    """A hostile case: load the xor network's file with some arrays dropped or replaced."""
    def make(tmp_path):
        arrays = {k: v for k, v in xor_arrays().items() if k not in drop}
        arrays.update(changes)
        path = tmp_path / "model.npz"
        np.savez(path, **arrays)
        return lambda: load(path)
    return make


def zipped(members, compression=zipfile.ZIP_STORED):
    """A hostile case: load a zip archive of these (name, bytes) members."""
    def make(tmp_path):
        path = tmp_path / "model.npz"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about a duplicate name
            with zipfile.ZipFile(path, "w", compression) as archive:
                for name, data in members():
                    archive.writestr(name, data)
        return lambda: load(path)
    return make


def directory_entry(data, name):
    """Where the zip central directory entry of member ``name`` starts in ``data``."""
    entry = data.index(b"PK\x01\x02")  # the first central directory entry
    while data[entry + 46:entry + 46 + len(name)] != name.encode():
        entry = data.index(b"PK\x01\x02", entry + 4)
    return entry


def sizes_patched(name, compressed=None, uncompressed=None):
    """A hostile case: the xor network's file with the sizes its zip directory gives one
    member replaced (the local header and the data are left as they are)."""
    def make(tmp_path):
        path = tmp_path / "model.npz"
        np.savez(path, **xor_arrays())
        data = bytearray(path.read_bytes())
        entry = directory_entry(data, name)
        for offset, value in ((20, compressed), (24, uncompressed)):
            if value is not None:
                data[entry + offset:entry + offset + 4] = value.to_bytes(4, "little")
        path.write_bytes(bytes(data))
        return lambda: load(path)
    return make


def flagged(name, bits):
    """A hostile case: the xor network's file with the general-purpose flag bits its zip
    directory gives one member replaced (0x1 marks the member as encrypted)."""
    def make(tmp_path):
        path = tmp_path / "model.npz"
        np.savez(path, **xor_arrays())
        data = bytearray(path.read_bytes())
        entry = directory_entry(data, name)
        data[entry + 8:entry + 10] = bits.to_bytes(2, "little")
        path.write_bytes(bytes(data))
        return lambda: load(path)
    return make


def damaged(name, **changes):
    """A hostile case: the xor network's file (with some arrays replaced) with the last
    data byte of one member flipped, so its header is intact but its CRC-32 no longer
    matches."""
    def make(tmp_path):
        path = tmp_path / "model.npz"
        np.savez(path, **{**xor_arrays(), **changes})
        data = bytearray(path.read_bytes())
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(name)
        local = info.header_offset
        start = local + 30 + int.from_bytes(data[local + 26:local + 28], "little") \
            + int.from_bytes(data[local + 28:local + 30], "little")
        data[start + info.compress_size - 1] ^= 0xFF
        path.write_bytes(bytes(data))
        return lambda: load(path)
    return make


def holding(data):
    """A hostile case: load a file holding these bytes."""
    def make(tmp_path):
        path = tmp_path / "model.npz"
        path.write_bytes(data)
        return lambda: load(path)
    return make


def npy_file(tmp_path):
    path = tmp_path / "model.npz"
    with open(path, "wb") as file:
        np.save(file, np.zeros((2, 4)))
    return lambda: load(path)


def folder(tmp_path):
    (tmp_path / "model.npz").mkdir()
    return lambda: load(tmp_path / "model.npz")


def nan_network(tmp_path):
    net = xor_net()
    net.layers[0].weights[0, 0] = np.nan
    return lambda: save(net, tmp_path / "model.npz")


def stacked_network(tmp_path):
    batch = NetworkBatch([2, 4, 1], [ReLU(), Sigmoid()], rngs=range(3))
    return lambda: save(batch, tmp_path / "model.npz")


HOSTILE = [
    # the archive itself
    pytest.param(holding(b"layer_sizes = [2, 4, 1]\nweights: 0.1 0.2\n"), ValueError,
                 r"is not a readable scratchnet \.npz file \(it is not an \.npz \(zip\) archive\)",
                 id="text-file"),
    pytest.param(npy_file, ValueError,
                 r"not a readable scratchnet \.npz file \(it is a \.npy file holding one array",
                 id="npy-file"),
    pytest.param(holding(b""), ValueError, r"not an \.npz \(zip\) archive", id="empty-file"),
    pytest.param(zipped(lambda: xor_members() + [("readme.txt", b"hello")]), ValueError,
                 r"'readme\.txt' is not a \.npy array", id="member-not-npy"),
    pytest.param(zipped(lambda: xor_members() + [("weights_0.npy", npy_bytes(np.ones((2, 4))))]),
                 ValueError, r"holds two arrays named 'weights_0'", id="duplicate-array"),
    pytest.param(zipped(xor_members, zipfile.ZIP_BZIP2), ValueError,
                 r"format_version is encrypted or compressed with an unsupported method",
                 id="bzip2-members"),
    pytest.param(zipped(lambda: xor_members(weights_0=lying_npy((2, 2_000_000_000)))),
                 ValueError, r"weights_0 declares shape \(2, 2000000000\) float64 "
                 r"\(32000000000 bytes\) but holds 64 bytes", id="huge-array-header"),
    pytest.param(sizes_patched("weights_0.npy", uncompressed=4_000_000_000), ValueError,
                 r"weights_0 claims 4000000000 bytes, more than it holds", id="member-size-lie"),
    pytest.param(sizes_patched("weights_0.npy", compressed=4_000_000_000), ValueError,
                 r"its arrays claim more than the file's \d+ bytes", id="members-overlap-or-lie"),
    pytest.param(flagged("weights_0.npy", 0x1), ValueError,
                 r"weights_0 is encrypted or compressed with an unsupported method\)$",
                 id="encrypted-member"),
    pytest.param(zipped(lambda: xor_members(weights_0=b"\x93NUMPY\x03\x00" + b" " * 120)),
                 ValueError, r"\(weights_0: unsupported \.npy format version\)$",
                 id="npy-format-version-3"),
    pytest.param(damaged("activations.npy"), ValueError,
                 r"is not a readable scratchnet \.npz file \(activations: .*CRC",
                 id="damaged-activation-names"),
    # 8000 bytes: the header reads fine, the damage shows when the values are read
    pytest.param(damaged("activation_params.npy", activation_params=np.full(1000, np.nan)),
                 ValueError,
                 r"is not a readable scratchnet \.npz file \(activation_params: .*CRC",
                 id="damaged-large-activation-params"),
    pytest.param(zipped(lambda: xor_members(bias_0=b"\x93NUMPY\x01\x00\xff\xff{'descr'")),
                 ValueError, r"not a readable scratchnet \.npz file \(bias_0: ",
                 id="broken-header"),
    pytest.param(edited(activations=np.array(["ReLU", "Sigmoid"], dtype=object)), ValueError,
                 r"activations holds Python objects, which load never unpickles",
                 id="object-array"),
    # what the file declares
    pytest.param(edited(drop=("dtype",)), ValueError,
                 r"is not a scratchnet network file: missing \['dtype'\]$", id="missing-dtype"),
    pytest.param(edited(format_version=np.array("1")), ValueError,
                 r"not a valid scratchnet network file: format_version must be an integer, "
                 r"got shape \(\) <U1$", id="format-version-string"),
    pytest.param(edited(format_version=np.array(2)), ValueError,
                 r"has format version 2; this scratchnet reads version 1$", id="newer-format"),
    pytest.param(edited(layer_sizes=np.array([2.0, 4.0, 1.0])), ValueError,
                 r"is corrupted: layer_sizes must be integers, got float64$",
                 id="float-layer-sizes"),
    pytest.param(edited(layer_sizes=np.array([[2, 4, 1]])), ValueError,
                 r"layer_sizes must be a 1-D array of integers, got shape \(1, 3\) int64$",
                 id="2d-layer-sizes"),
    pytest.param(edited(layer_sizes=np.array([2, -4, 1])), ValueError,
                 r"layer_sizes must hold at least 2 positive integers, got \[2, -4, 1\]$",
                 id="negative-layer-size"),
    pytest.param(edited(layer_sizes=np.array([2, 0] + [1] * 8)), ValueError,
                 r"layer_sizes must hold at least 2 positive integers, got \[2, 0(, 1){8}\]$",
                 id="ten-layer-sizes-listed-in-full"),
    pytest.param(edited(layer_sizes=np.array([2, 0] + [1] * 9)), ValueError,
                 r"layer_sizes must hold at least 2 positive integers, "
                 r"got \[2, 0(, 1){8}\] \.\.\. \(11 values\)$",
                 id="eleven-layer-sizes-shortened"),
    pytest.param(edited(layer_sizes=np.array([2])), ValueError,
                 r"layer_sizes must hold at least 2 positive integers, got \[2\]$",
                 id="one-layer-size"),
    pytest.param(edited(layer_sizes=np.array([2, 2_000_000_000, 1])), ValueError,
                 r"is corrupted: weights_0 should be \(2, 2000000000\) float64, got \(2, 4\) "
                 r"float64$", id="huge-declared-layer"),
    pytest.param(edited(activations=np.array(["ReLU", "Softmax"])), ValueError,
                 r"uses unknown activations \['Softmax'\]$", id="unknown-activation"),
    pytest.param(edited(layer_sizes=np.ones(13, np.int64),
                        activations=np.array([f"Act{i}" for i in range(12)]),
                        activation_params=np.full(12, np.nan)), ValueError,
                 r"uses unknown activations \[('Act\d+', ){9}'Act\d+'\]$",
                 id="twelve-unknown-activations-ten-listed"),
    pytest.param(edited(activation_params=np.array(["nan", "nan"])), ValueError,
                 r"activation_params must be a 1-D array of floats, got shape \(2,\) <U3$",
                 id="string-activation-params"),
    pytest.param(edited(activations=np.array(["LeakyReLU", "Sigmoid"]),
                        activation_params=np.array([1.0, np.nan])), ValueError,
                 r"activation_params\[0\] \(the LeakyReLU alpha\) must be in \[0, 1\), got 1\.0$",
                 id="leaky-alpha-one"),
    pytest.param(edited(dtype=np.array("float" + "6" * 50)), ValueError,
                 r"dtype must be one of \['float32', 'float64'\], got 'float6{35}'$",
                 id="long-dtype-name-shortened"),
    pytest.param(edited(activations=np.array([b"ReLU", b"Sigmoid"])), ValueError,
                 r"activations must be a 1-D array of activation names, got shape \(2,\) \|S7$",
                 id="bytes-activation-names"),
    pytest.param(edited(activation_params=np.array([np.nan])), ValueError,
                 r"is corrupted: 2 activations but 1 activation_params$", id="too-few-params"),
    pytest.param(edited(activations=np.array(["LeakyReLU", "Sigmoid"]),
                        activation_params=np.array([2.0, np.nan])), ValueError,
                 r"activation_params\[0\] \(the LeakyReLU alpha\) must be in \[0, 1\), got 2\.0$",
                 id="leaky-alpha-too-big"),
    pytest.param(edited(activations=np.array(["LeakyReLU", "Sigmoid"])), ValueError,
                 r"activation_params\[0\] \(the LeakyReLU alpha\) must be in \[0, 1\), got nan$",
                 id="leaky-alpha-nan"),
    pytest.param(edited(dtype=np.array("float16")), ValueError,
                 r"dtype must be one of \['float32', 'float64'\], got 'float16'$",
                 id="float16-dtype"),
    pytest.param(edited(dtype=np.array(64)), ValueError,
                 r"dtype must be a dtype name, got shape \(\) int64$", id="numeric-dtype"),
    # what the file holds against what it declares
    pytest.param(edited(drop=("bias_1",)), ValueError, r"is corrupted: bias_1 is missing$",
                 id="missing-bias"),
    pytest.param(edited(weights_2=np.ones((1, 1))), ValueError,
                 r"holds arrays a network of 3 layer sizes does not have: \['weights_2'\]$",
                 id="extra-array"),
    pytest.param(edited(**{f"extra_{i}": np.zeros(1) for i in range(11)}), ValueError,
                 r"does not have: \[('extra_\d+', ){9}'extra_\d+'\]$",
                 id="eleven-extra-arrays-ten-listed"),
    pytest.param(edited(weights_0=np.ones((4, 2))), ValueError,
                 r"weights_0 should be \(2, 4\) float64, got \(4, 2\) float64$",
                 id="transposed-weights"),
    pytest.param(edited(weights_1=np.ones((4, 1), np.float32)), ValueError,
                 r"weights_1 should be \(4, 1\) float64, got \(4, 1\) float32$",
                 id="float32-weights-in-float64-file"),
    pytest.param(edited(bias_0=np.zeros((1, 4), np.int64)), ValueError,
                 r"bias_0 should be \(1, 4\) float64, got \(1, 4\) int64$", id="integer-bias"),
    pytest.param(edited(weights_1=np.full((4, 1), np.nan)), ValueError,
                 r"is corrupted: weights_1 holds NaN or infinite values$", id="nan-weights"),
    pytest.param(edited(bias_0=np.full((1, 4), -np.inf)), ValueError,
                 r"is corrupted: bias_0 holds NaN or infinite values$", id="infinite-bias"),
    # the path
    pytest.param(folder, IsADirectoryError, r"model\.npz' is a directory, not a saved network$",
                 id="load-a-directory"),
    pytest.param(lambda tmp_path: lambda: load(tmp_path / "nothing"), FileNotFoundError,
                 r"no saved network at '.*nothing' \(nor at '.*nothing\.npz'\)$",
                 id="load-a-missing-file"),
    pytest.param(lambda tmp_path: lambda: save(xor_net(), tmp_path), IsADirectoryError,
                 r"cannot save to '.*': it is a directory; give a file name such as "
                 r"'.*model\.npz'$", id="save-to-a-directory"),
    pytest.param(lambda tmp_path: lambda: save(xor_net(), tmp_path / "no" / "model"),
                 FileNotFoundError, r"cannot save to '.*model\.npz': folder '.*no' does not "
                 r"exist$", id="save-to-a-missing-folder"),
    pytest.param(lambda tmp_path: lambda: load(3), TypeError,
                 r"^path must be a str or os\.PathLike such as pathlib\.Path, got int 3$",
                 id="load-path-int"),
    pytest.param(lambda tmp_path: lambda: load(b"model.npz"), TypeError,
                 r"^path must be a str or os\.PathLike .*, got bytes b'model\.npz'$",
                 id="load-path-bytes"),
    pytest.param(lambda tmp_path: lambda: load(None), TypeError,
                 r"^path must be a str or os\.PathLike .*, got NoneType None$",
                 id="load-path-none"),
    pytest.param(lambda tmp_path: lambda: load(""), ValueError,
                 r"^path must be a non-empty file name without NUL characters, got ''$",
                 id="load-path-empty"),
    pytest.param(lambda tmp_path: lambda: save(xor_net(), ["model.npz"]), TypeError,
                 r"^path must be a str or os\.PathLike .*, got list \['model\.npz'\]$",
                 id="save-path-list"),
    pytest.param(lambda tmp_path: lambda: save(xor_net(), "model\0.npz"), ValueError,
                 r"^path must be a non-empty file name without NUL characters",
                 id="save-path-nul"),
    # the network
    pytest.param(lambda tmp_path: lambda: save("model", tmp_path / "model.npz"), TypeError,
                 r"^network must be a NeuralNetwork, got str 'model'$", id="save-a-string"),
    pytest.param(lambda tmp_path: lambda: save(NeuralNetwork, tmp_path / "model.npz"), TypeError,
                 r"^network must be a NeuralNetwork, got the class NeuralNetwork$",
                 id="save-the-class"),
    pytest.param(stacked_network, TypeError,
                 r"^network must be a single NeuralNetwork with 2-D weights, got a NetworkBatch "
                 r"whose layer 0 holds weights of shape \(3, 2, 4\); save one run at a time: "
                 r"save\(batch\.network\(run\), path\)$",
                 id="save-a-network-batch"),
    pytest.param(nan_network, ValueError,
                 r"^network holds NaN or infinite values in weights_0; load would refuse the file$",
                 id="save-nan-weights"),
]


@pytest.mark.parametrize("make, error, message", HOSTILE)
def test_hostile_files_and_arguments_are_refused_clearly(tmp_path, make, error, message):
    call = make(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        with pytest.raises(error, match=message) as caught:
            call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        if not tracing:
            tracemalloc.stop()
    assert type(caught.value) is error  # not a subclass such as a zipfile or NumPy error
    text = str(caught.value)
    assert "pickle.load" not in text and "allow_pickle" not in text
    if not message.startswith(("^path", "^network")):
        assert str(tmp_path) in text  # names the file
    assert peak < 4 * 2**20, f"{peak / 2**20:.1f} MiB allocated"
    assert sorted(tmp_path.rglob("*")) == before  # nothing written, no temporary file left


def test_a_file_declaring_a_huge_layer_is_refused_fast_without_allocating_it(tmp_path):
    # 2.5 kB on disk, declaring weights of 2 x 2e9 and 2e9 x 1 float64 (about 60 GiB)
    path = tmp_path / "model.npz"
    np.savez(path, **{**xor_arrays(), "layer_sizes": np.array([2, 2_000_000_000, 1])})
    assert path.stat().st_size < 4000
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(ValueError, match=r"weights_0 should be \(2, 2000000000\) float64"):
            load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < 5
    assert peak < 2**20


def test_a_file_holding_a_huge_header_is_refused_before_numpy_allocates(tmp_path):
    call = zipped(lambda: xor_members(weights_1=lying_npy((4, 10**12), b"")))(tmp_path)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"weights_1 declares shape \(4, 1000000000000\)"):
            call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2**20


# ---------------------------------------------------------------- formats load still reads


def test_a_file_of_the_documented_arrays_written_by_numpy_loads(tmp_path):
    # the format: what np.savez writes for these arrays, as scratchnet has always saved it
    path = tmp_path / "model.npz"
    np.savez(path, **xor_arrays())
    restored = load(path)
    for a, b in zip(restored.parameters(), xor_net().parameters()):
        assert a.dtype == b.dtype and np.array_equal(a, b)


def test_compressed_and_big_endian_files_load_bit_exact(tmp_path):
    arrays = xor_arrays()
    arrays["weights_0"] = arrays["weights_0"].astype(">f8")
    path = tmp_path / "model.npz"
    np.savez_compressed(path, **arrays)
    restored = load(path)
    for a, b in zip(restored.parameters(), xor_net().parameters()):
        assert a.dtype == b.dtype and np.array_equal(a, b)


def test_loaded_parameters_are_contiguous_writable_and_train(tmp_path):
    restored = load(save(network(np.float32), tmp_path / "model.npz"))
    for parameter in restored.parameters():
        assert parameter.flags.c_contiguous and parameter.flags.writeable
    x = np.ones((4, 3), np.float32)
    before = [p.copy() for p in restored.parameters()]
    restored.backward(restored.forward(x), learning_rate=0.1)
    assert any(not np.array_equal(a, b) for a, b in zip(before, restored.parameters()))


# ---------------------------------------------------------------- the temporary file


def test_save_never_writes_into_a_file_that_already_has_the_temporary_name(tmp_path,
                                                                          monkeypatch):
    """The temporary file is created exclusively: a file of that name (someone else's)
    is left alone and another name is drawn."""
    names = iter(["00000000", "11111111"])
    monkeypatch.setattr(serialization.secrets, "token_hex", lambda nbytes: next(names))
    other = tmp_path / "model.npz.00000000.tmp"
    other.write_bytes(b"not ours")
    path = save(xor_net(), tmp_path / "model.npz")
    assert other.read_bytes() == b"not ours"
    assert load(path).layer_sizes == [2, 4, 1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz", other.name]


def test_save_gives_up_clearly_when_every_temporary_name_is_taken(tmp_path, monkeypatch):
    monkeypatch.setattr(serialization.secrets, "token_hex", lambda nbytes: "00000000")
    other = tmp_path / "model.npz.00000000.tmp"
    other.write_bytes(b"not ours")
    with pytest.raises(FileExistsError) as error:
        save(xor_net(), tmp_path / "model.npz")
    assert error.value.errno == errno.EEXIST
    assert error.value.filename == str(tmp_path / "model.npz")
    assert error.value.strerror == "no free temporary file name"
    assert other.read_bytes() == b"not ours"
    assert sorted(p.name for p in tmp_path.iterdir()) == [other.name]


def test_save_accepts_the_longest_file_name(tmp_path):
    # the temporary name is cut to fit: 255 characters is the usual limit of a file name
    name = "m" * 251 + ".npz"
    path = save(xor_net(), tmp_path / name)
    assert load(path).layer_sizes == [2, 4, 1]
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_failure_after_creating_the_temporary_file_removes_it(tmp_path, monkeypatch):
    # copying the old file's permission bits onto the temporary file fails
    path = save(xor_net(), tmp_path / "model.npz")
    before = path.read_bytes()

    def refuse(file, mode):
        raise PermissionError(errno.EPERM, "not allowed")

    monkeypatch.setattr(serialization.os, "fchmod", refuse, raising=False)
    monkeypatch.setattr(serialization.os, "chmod", refuse)
    with pytest.raises(PermissionError, match="not allowed"):
        save(network(), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


# ---------------------------------------------------------------- the .npz suffix


@pytest.mark.parametrize("name", ["model", "model.v2", "model.npz"])
def test_load_reads_the_file_save_wrote_under_the_same_name(tmp_path, name):
    for given in (tmp_path / name, str(tmp_path / name)):
        written = save(xor_net(), given)
        assert isinstance(written, Path)
        assert written == tmp_path / (name if name.endswith(".npz") else name + ".npz")
        assert written.exists()
        assert load(given).layer_sizes == [2, 4, 1]
    assert sorted(p.name for p in tmp_path.iterdir()) == [written.name]


def test_load_reads_the_exact_name_first_when_it_exists(tmp_path):
    save(xor_net(), tmp_path / "model")
    (tmp_path / "model").write_text("my notes about the model\n")
    with pytest.raises(ValueError, match=r"model' is not a readable scratchnet \.npz file"):
        load(tmp_path / "model")
    assert load(tmp_path / "model.npz").layer_sizes == [2, 4, 1]


# ---------------------------------------------------------------- permissions


@contextmanager
def umask(mask):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600, 0o444], ids=oct)
def test_save_keeps_the_permission_bits_of_the_file_it_replaces(tmp_path, mode):
    path = save(xor_net(), tmp_path / "model.npz")
    os.chmod(path, mode)
    with umask(0o077):  # the umask must not matter for a file that exists
        save(network(), path)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert load(path).layer_sizes == [3, 5, 4, 2]


@posix_only
def test_save_keeps_the_permission_bits_where_os_has_no_fchmod(tmp_path, monkeypatch):
    # Windows before Python 3.13 has no os.fchmod: the temporary file is chmod-ed by name
    path = save(xor_net(), tmp_path / "model.npz")
    os.chmod(path, 0o640)
    monkeypatch.delattr(os, "fchmod")
    with umask(0o077):
        save(network(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert load(path).layer_sizes == [3, 5, 4, 2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


@posix_only
@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077, 0o002], ids=oct)
def test_a_new_file_gets_the_usual_mode_for_the_umask(tmp_path, mask):
    with umask(mask):
        path = save(xor_net(), tmp_path / "model.npz")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


# ---------------------------------------------------------------- symbolic links


@posix_only
def test_save_writes_through_a_symbolic_link_and_the_link_stays(tmp_path, monkeypatch):
    """The documented behaviour: the file the link points to is replaced, atomically, by a
    temporary file in that file's folder; the link is left as it was, so it now leads
    to the new network; the target keeps its permission bits."""
    store, links = tmp_path / "store", tmp_path / "links"
    store.mkdir()
    links.mkdir()
    target = save(xor_net(), store / "model.npz")
    os.chmod(target, 0o640)
    link = links / "current.npz"
    link.symlink_to(os.path.join("..", "store", "model.npz"))  # a relative link
    replaced = []
    real_replace = os.replace

    def replace(source, destination):
        replaced.append((Path(source), Path(destination)))
        real_replace(source, destination)

    monkeypatch.setattr(serialization.os, "replace", replace)
    assert save(network(), link) == link
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "store", "model.npz")
    [(source, destination)] = replaced
    assert source.parent == Path(os.path.realpath(store))
    assert destination == Path(os.path.realpath(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    for restored in (load(link), load(target)):
        assert restored.layer_sizes == [3, 5, 4, 2]
    assert sorted(p.name for p in store.iterdir()) == ["model.npz"]
    assert sorted(p.name for p in links.iterdir()) == ["current.npz"]


@posix_only
def test_save_through_a_chain_of_links_and_a_dangling_link(tmp_path):
    (tmp_path / "a.npz").symlink_to(tmp_path / "b.npz")
    (tmp_path / "b.npz").symlink_to(tmp_path / "model.npz")  # dangling: model.npz is new
    save(xor_net(), tmp_path / "a.npz")
    assert (tmp_path / "a.npz").is_symlink() and (tmp_path / "b.npz").is_symlink()
    assert not (tmp_path / "model.npz").is_symlink()
    assert load(tmp_path / "a.npz").layer_sizes == load(tmp_path / "model.npz").layer_sizes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npz", "b.npz", "model.npz"]


def test_save_refuses_a_name_whose_npz_file_is_a_directory(tmp_path):
    (tmp_path / "model.npz").mkdir()
    with pytest.raises(IsADirectoryError,
                       match=r"^cannot save to '.*model\.npz': it is a directory$"):
        save(xor_net(), tmp_path / "model")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


@posix_only
def test_a_symbolic_link_loop_is_refused(tmp_path):
    (tmp_path / "a.npz").symlink_to(tmp_path / "b.npz")
    (tmp_path / "b.npz").symlink_to(tmp_path / "a.npz")
    with pytest.raises(OSError, match="symbolic links") as error:
        save(xor_net(), tmp_path / "a.npz")
    # the error the system gives for a loop: errno ELOOP, naming the path
    assert error.value.errno == errno.ELOOP
    assert error.value.filename == str(tmp_path / "a.npz")
    assert error.value.strerror == "too many levels of symbolic links"
    with pytest.raises(OSError, match="symbolic links"):
        load(tmp_path / "a.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.npz", "b.npz"]
