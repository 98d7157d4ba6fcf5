"""Independent evidence for the book's claims: helpers the claim tests share.

Written here, not taken from scratchnet, so that a claim test checks the package against
something the package did not compute: central differences, a 50-digit sigmoid, an
exact sign test, the chapter's own code. Not a test module (no ``test_`` prefix).
"""

from __future__ import annotations

import decimal
import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Callable

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEED_FILE = ROOT / "tests" / "seed_chapter.py"

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import claims  # noqa: E402


def central_difference(f: Callable[[], float], array: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """d f() / d array by central differences: each entry of ``array`` (changed in place
    and restored) moved by +h and -h in turn."""
    grad = np.zeros(array.shape)
    flat, out = array.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + h
        up = f()
        flat[i] = keep - h
        down = f()
        flat[i] = keep
        out[i] = (up - down) / (2 * h)
    return grad


def worst_relative_error(analytic, numeric) -> float:
    """max |a - n| / max(|a|, |n|) over the entries, 0 where both are 0."""
    analytic, numeric = np.asarray(analytic, float), np.asarray(numeric, float)
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    return float(np.max(np.abs(analytic - numeric) / np.maximum(scale, 1e-300),
                        where=scale > 0, initial=0.0))


def exact_sigmoid(x: float) -> float:
    """sigma(x) from 50-digit decimal arithmetic, rounded to a double: 1 / (1 + e^-x) for
    x >= 0 and e^x / (1 + e^x) for x < 0 (decimal's exp underflows to 0, never overflows)."""
    with decimal.localcontext() as context:
        context.prec = 50
        if x >= 0:
            return float(1 / (1 + (-decimal.Decimal(x)).exp()))
        e = decimal.Decimal(x).exp()
        return float(e / (1 + e))


def sign_test(a: int, b: int) -> float:
    """Exact two-sided sign test: if each of the a + b discordant seeds were equally likely
    to favour either side, the probability of a split at least as lopsided as a to b."""
    n, k = a + b, min(a, b)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n)


def load_seed_chapter() -> ModuleType:
    """tests/seed_chapter.py, the chapter's code as printed, as a module."""
    spec = importlib.util.spec_from_file_location("seed_chapter", SEED_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def claim_block(page: Path, claim_id: str) -> str:
    """The prose block of ``page`` that carries the claim mark ``claim_id`` (exactly one)."""
    text = page.read_text(encoding="utf-8")
    blocks = [b.text for b in claims.prose_blocks(text) if f"{{claim}}`{claim_id}`" in b.text]
    assert len(blocks) == 1, f"{page.name} marks {claim_id!r} in {len(blocks)} blocks"
    return blocks[0]
