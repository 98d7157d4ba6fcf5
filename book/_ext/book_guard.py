"""Sphinx extension that keeps the book honest.

1. **Strict.** Any warning is an error, with or without ``-W`` on the command line.
2. **Never stale.** Every page is re-executed whenever the scratchnet package changes.

The pages import ``scratchnet``, but Sphinx only re-reads (and myst-nb only
re-executes) pages whose own source changed. Without this extension, editing the
package and rebuilding would serve pages whose outputs came from the old code.

The extension hashes the source of the package that the pages will import (the
one ``import scratchnet`` finds from this build's environment) and stores the
hash in the build environment. When the hash differs from the stored one, every
page is marked outdated and is therefore executed again.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)


def package_hash(name: str = "scratchnet") -> str:
    """SHA-256 over the path and bytes of every ``.py`` file of package ``name``."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {name!r} is not importable: install it with pip install -e .")
    root = Path(next(iter(spec.submodule_search_locations)))
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def outdated_when_package_changed(
    app: Sphinx, env: BuildEnvironment, added: set, changed: set, removed: set
) -> list[str]:
    current = package_hash()
    previous = getattr(env, "scratchnet_hash", None)
    env.scratchnet_hash = current
    if previous is None or previous == current:
        return []
    logger.info("scratchnet changed since the last build: re-executing every page")
    return sorted(env.found_docs)


def setup(app: Sphinx) -> dict:
    # The book is strict even when built without -W: any warning is an error.
    app.warningiserror = True
    app.connect("env-get-outdated", outdated_when_package_changed)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
