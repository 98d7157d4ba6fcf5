"""Building a copy of the book for the tests, and the build a test run shares.

    python tests/book_build.py FOLDER

copies the book's sources into ``FOLDER/book``, builds them cold with ``-W`` and then
leaves ``FOLDER/book.done``, or ``FOLDER/book.failed`` with the end of the build's
output. tests/conftest.py starts this in the background as soon as a test run is
collected with tests that need the book, so the build runs while the tests that need
no build do; those that need it wait for one of the two files. Not a test module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parents[1]

# What a build of the book needs: tests/ too, since the chapter-code page shows
# tests/seed_chapter.py and the claims extension reads which test checks each claim.
SOURCES = ["_config.yml", "_toc.yml", "book", "scratchnet", "pyproject.toml", "tests"]


def jupyter_book(project: Path, *flags: str) -> subprocess.CompletedProcess:
    """``jupyter-book build <project> [flags]``, importing scratchnet from ``project``."""
    env = dict(os.environ, PYTHONPATH=str(project))
    exe = Path(sys.executable).with_name("jupyter-book")
    return subprocess.run(
        [str(exe), "build", str(project), *flags],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )


def copy_sources(root: Path, names: List[str]) -> Path:
    """Copy the named files and folders of the project into ``root``."""
    for name in names:
        src, dst = ROOT / name, root / name
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns(
                "__pycache__", "_build", ".hypothesis", ".pytest_cache"))
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    return root


def build(folder: Path) -> Path:
    """Copy the sources into ``folder/book``, build them with ``-W``, and leave
    ``book.done`` or ``book.failed`` in ``folder``. Returns the built copy's root."""
    root, done, failed = folder / "book", folder / "book.done", folder / "book.failed"
    try:
        root.mkdir()
        copy_sources(root, SOURCES)
        result = jupyter_book(root, "-W")
        if result.returncode != 0:
            raise RuntimeError(f"jupyter-book build -W exited with {result.returncode}:\n"
                               + result.stdout[-4000:] + result.stderr[-4000:])
    except BaseException as error:
        failed.write_text(f"{type(error).__name__}: {error}\n", encoding="utf-8")
        raise
    done.write_text("built\n", encoding="utf-8")
    return root


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build(Path(sys.argv[1]))
