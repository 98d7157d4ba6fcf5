"""save / load: bit-exact round trips, atomic writes, clear errors for bad files."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from scratchnet import (
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
