"""Compile ``.mod`` files once and keep the generated modules on disk, keyed by content.

The generated Python module is written into the cache folder and imported under a registered
module name, because Numba's ``cache=True`` only works for code in a real file whose module is in
``sys.modules`` (see DESIGN.md: code ``exec``'d from a string cannot be cached). Numba then keeps
its compiled machine code in ``__pycache__`` beside it, so a second process starts without
compiling anything.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import nmodl  # light: its public names load on first use


def cache_dir() -> Path:
    """``$PYNEURO_CACHE_DIR``, else ``~/.cache/pyneuro``."""
    root = os.environ.get("PYNEURO_CACHE_DIR")
    path = Path(root) if root else Path.home() / ".cache" / "pyneuro"
    path.mkdir(parents=True, exist_ok=True)
    return path


@lru_cache(maxsize=1)
def compiler_fingerprint() -> str:
    """Hash of the compiler's own source, so a changed compiler never reuses stale output."""
    spec = importlib.util.find_spec("nmodl")
    assert spec is not None and spec.origin is not None
    root = Path(spec.origin).parent  # hashed as text: the version string is in compiler.py
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        if f.suffix in (".py", ".lark") and "__pycache__" not in f.parts:
            h.update(f.relative_to(root).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _module_name(stem: str, key: str) -> str:
    safe = re.sub(r"\W", "_", stem)
    return f"pyneuro_mech_{safe}_{key}"


def _source_key(path: Path) -> str:
    """Hash of a .mod file, the files it INCLUDEs and the compiler."""
    text = path.read_bytes()
    h = hashlib.sha256(text)
    deps = nmodl.include_dependencies(path) if b"INCLUDE" in text.upper() else []
    for dep in deps:
        h.update(b"\0" + str(dep).encode() + b"\0" + dep.read_bytes())
    h.update(compiler_fingerprint().encode())
    return h.hexdigest()[:20]


def load_mod_file(path: str | os.PathLike) -> ModuleType:
    """Compile (or fetch from the cache) and import the mechanism module of one ``.mod`` file.

    Raises ``nmodl.errors.NmodlError`` for a bad file.
    """
    path = Path(path).resolve()
    key = _source_key(path)
    name = _module_name(path.stem, key)
    if name in sys.modules:
        return sys.modules[name]
    target = cache_dir() / f"{name}.py"
    if not target.exists():
        _write_atomic(target, nmodl.compile_file(str(path)).source)
    return import_generated(target, name)


def compile_to_folder(path: str | os.PathLike, folder: Path) -> tuple[str, str, bool]:
    """Compile one .mod file into ``folder`` (pyneuro-nrnivmodl's output).

    Returns (module name, file name, whether it was reused from an earlier run).
    """
    path = Path(path).resolve()
    key = _source_key(path)
    name = _module_name(path.stem, key)
    target = folder / f"{name}.py"
    cached = cache_dir() / f"{name}.py"
    reused = target.exists()
    if not reused:
        source = cached.read_text() if cached.exists() else nmodl.compile_file(str(path)).source
        target.write_text(source)
    if not cached.exists():  # the copy Numba's machine-code cache is kept beside
        _write_atomic(cached, target.read_text())
    return name, target.name, reused


def _write_atomic(target: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, target)


def stable_module_file(folder_file: Path) -> Path:
    """Where to import a generated module from: its copy in the content-hash cache when that
    holds the same text (its path and time stamp never change, so Numba's machine code cached
    beside it stays valid when the model folder is rebuilt or copied), else the folder's file."""
    cached = cache_dir() / folder_file.name
    try:
        if cached.exists() and cached.read_bytes() == folder_file.read_bytes():
            return cached
    except OSError:
        pass
    return folder_file


def import_generated(target: Path, name: str) -> ModuleType:
    """Import a generated module file under a registered name (needed by Numba's cache)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, target)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module
