"""The compiler driver: text -> AST -> IR -> solved IR -> metadata + Numba module text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import ir
from .codegen import numba as numba_printer
from .lower import lower
from .parser import parse_text, read_source

VERSION = "0.1.0"


@dataclass(frozen=True)
class CompiledMechanism:
    """What the compiler returns: JSON-serialisable metadata and the module source."""

    metadata: dict[str, Any]
    source: str


def _variable_entry(var: ir.Variable) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": var.name,
        "role": var.role,
        "default": float(var.default),
        "units": var.units,
    }
    if var.size != 1:
        entry["size"] = var.size
    entry["public"] = var.public
    return entry


def _callable(f: ir.Function) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": f.name, "args": list(f.params)}
    if f.refused:
        entry["refused"] = f.refused
    return entry


def metadata_of(mech: ir.Mechanism, text: str) -> dict[str, Any]:
    """The backend-free description of a compiled mechanism (docs/mechanism-abi.md §2)."""
    globals_ = []
    for var in mech.global_vars:
        entry = _variable_entry(var)
        entry["written"] = var.written
        globals_.append(entry)
    meta: dict[str, Any] = {
        "name": mech.name,
        "kind": mech.kind,
        "file": mech.file,
        "title": mech.title,
        "hash": hashlib.sha256((text + "\0nmodl " + VERSION).encode()).hexdigest(),
        "range": [_variable_entry(v) for v in mech.range_vars],
        "globals": globals_,
        "ions": [
            {"name": u.name, "read": list(u.read), "write": list(u.write), "valence": u.valence}
            for u in mech.ions
        ],
        "nonspecific_currents": list(mech.nonspecific_currents),
        "electrode_current": mech.electrode_current,
        "kernels": numba_printer.kernel_names(mech),
        "table_size": mech.table_size,
        "functions": [_callable(f) for f in mech.functions.values() if f.is_function]
        + [
            {"name": k, "args": [f"x{j}" for j in range(n)]}
            for k, (n, _e) in mech.function_tables.items()
        ],
        "procedures": [
            _callable(f)
            | ({"binds": mech.vector_binds[f.name]} if f.name in mech.vector_binds else {})
            for f in mech.functions.values()
            if not f.is_function
        ],
        "refused": mech.refused,
        # POINTER name and its address row (docs/mechanism-abi.md)
        "pointers": [{"name": k, "row": f"_p_{k}"} for k in mech.pointers],
        # EXTERNAL name (another mechanism's GLOBAL, 'var_suffix') and its address entry
        "externals": [{"name": k, "entry": f"_e_{k}"} for k in mech.externals],
        # FUNCTION_TABLE name, arguments and its gl entry (1 + data offset in tab, 0 unset)
        "function_tables": [
            {"name": k, "args": n, "entry": f"_ft_{k}"}
            for k, (n, _e) in mech.function_tables.items()
        ],
        "solves": [{"block": b, "method": m} for b, m in mech.solves],
        "unsupported": list(mech.unsupported),
        "warnings": list(mech.warnings),
        "cpu_only": list(dict.fromkeys(mech.cpu_only)),
    }
    if mech.net_receive is not None:
        meta["net_receive"] = {"args": list(mech.net_receive.args)}
    if mech.initial_events:
        meta["initial_events"] = mech.initial_events
    if mech.for_netcons:
        # the gl entries the engine fills for FOR_NETCONS (docs/mechanism-abi.md, 4.3)
        meta["for_netcons"] = {k: f"_fnc_{k}" for k in mech.for_netcons}
    if mech.watches:
        meta["watch"] = len(mech.watches)
    if mech.random_handles:
        # hoc Random objects kept by the VERBATIM idiom: the handle rows and the PROCEDUREs
        # that set them from their argument (docs/mechanism-abi.md)
        meta["random_handles"] = [{"name": k, "row": f"_p_{k}"} for k in mech.random_handles]
        meta["random_setters"] = [{"name": p, "handle": h} for p, h in mech.random_setters.items()]
    if mech.vectors:
        meta["vectors"] = [
            {"name": name, "output": name in mech.vector_outputs} for name in mech.vectors
        ]
    return meta


def compile_text(text: str, filename: str = "<string>") -> CompiledMechanism:
    """Compile NMODL source text.

    Raises:
        NmodlError: a mistake in the file (location, line, caret).
        UnsupportedConstruct: valid NMODL this compiler does not translate yet.
    """
    program = parse_text(text, filename)
    mech = lower(program)
    metadata = metadata_of(mech, text)
    source = numba_printer.generate(mech, metadata)
    return CompiledMechanism(metadata, source)


def compile_file(path: str | Path) -> CompiledMechanism:
    """Compile a .mod file (see `compile_text`); metadata["file"] is its absolute path."""
    p = Path(path).resolve()
    return compile_text(read_source(p), str(p))
