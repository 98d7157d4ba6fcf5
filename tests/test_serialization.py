"""save / load: bit-exact round trips, atomic writes, clear errors for bad files."""

from __future__ import annotations

import os
import zipfile

from pathlib import Path

import numpy as np
import pytest

from scratchnet import (
    Activation,
    Identity,
    LeakyReLU,
    NeuralNetwork,
    ReLU,
    Sigmoid,
    Tanh,
    load,
    save,
)
from scratchnet import serialization


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
    with pytest.raises(ValueError, match="not a readable scratchnet .npz file"):
        load(path)


def test_save_rejects_non_networks(tmp_path):
    with pytest.raises(TypeError, match="network must be a NeuralNetwork"):
        save("not a network", tmp_path / "x.npz")


def test_save_refuses_an_activation_load_could_not_read(tmp_path):
    network = NeuralNetwork([2, 3, 1], [Square(), Sigmoid()], rng=0)
    with pytest.raises(TypeError) as error:
        save(network, tmp_path / "model.npz")
    assert str(error.value) == (
        "cannot save activation Square(): saving supports "
        "['Identity', 'LeakyReLU', 'ReLU', 'Sigmoid', 'Tanh']"
    )
    assert list(tmp_path.iterdir()) == []
