"""Compile-coverage report: how many .mod files pyneuro's NMODL compiler handles.

Usage::

    python tools/mod_coverage.py FOLDER [FOLDER ...] [--unique] [--json OUT] [--quiet]

Every ``.mod`` file under the folders is compiled by ``nmodl.compile_file`` and counted as

* **compiled**: a module and metadata came out, and the mechanism can be used;
* **refused**: valid NMODL that pyneuro refuses *by name* — an ``UnsupportedConstruct`` (the
  construct is named), or a mechanism whose metadata says ``refused`` (C in a VERBATIM block
  that its kernels reach; it compiles, and inserting it raises that message);
* **rejected**: an ``NmodlError`` for a file that NEURON's own ``nocmodl`` rejects too (checked
  when the neuron wheel is installed);
* **failed**: anything else — a crash, or an error on a file nocmodl accepts. This must be 0.

``--unique`` counts files with identical contents once (ModelDB repeats files across models).
The script exits with status 1 when any file failed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def find_nocmodl() -> str | None:
    """NEURON's nocmodl from the installed wheel (or PATH), if any."""
    try:
        import neuron

        cand = Path(neuron.__file__).parent / ".data" / "bin" / "nocmodl"
        if cand.is_file():
            return str(cand)
    except ImportError:
        pass
    return shutil.which("nocmodl")


def nocmodl_accepts(nocmodl: str, path: Path) -> bool:
    """Whether nocmodl translates the file (run in a scratch folder beside its includes)."""
    with tempfile.TemporaryDirectory() as tmp:
        for sibling in path.parent.iterdir():
            if sibling.is_file() and sibling.suffix in (".mod", ".inc", ".h"):
                shutil.copy(sibling, tmp)
        res = subprocess.run(
            [nocmodl, path.name], cwd=tmp, capture_output=True, text=True, timeout=120
        )
        return res.returncode == 0 and (Path(tmp) / (path.stem + ".cpp")).is_file()


def classify(path: Path, nocmodl: str | None) -> tuple[str, str]:
    """(category, detail) of one file (see the module docstring)."""
    from nmodl import NmodlError, UnsupportedConstruct, compile_file

    try:
        result = compile_file(path)
    except UnsupportedConstruct as exc:
        return "refused", str(exc).split("\n")[0]
    except NmodlError as exc:
        first = str(exc).split("\n")[0]
        if nocmodl is not None and not nocmodl_accepts(nocmodl, path):
            return "rejected", first
        return "failed", first
    except RecursionError:
        return "failed", "RecursionError in the compiler"
    except Exception as exc:  # a crash: a bug in pyneuro
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        return "failed", f"crash {type(exc).__name__}: {exc} ({Path(tb.filename).name}:{tb.lineno})"
    refused = result.metadata.get("refused")
    if refused:
        return "refused", refused["reason"].split(";")[0]
    return "compiled", ""


def construct_of(detail: str) -> str:
    """A short name for a refusal reason (for the summary)."""
    text = detail.split(": ", 1)[-1] if ": " in detail else detail
    for key in (
        "VERBATIM block of C code",
        "calls the C function",
        "LONGITUDINAL_DIFFUSION",
        "POINTER",
        "BBCOREPOINTER",
        "FUNCTION_TABLE",
        "EXTERNAL",
        "LINEAR block",
        "NONLINEAR block",
        "BEFORE",
        "AFTER",
        "CONSTRUCTOR",
        "DESTRUCTOR",
        "FOR_NETCONS",
    ):
        if key in text:
            return key
    return text.replace(" is not supported", "")[:70]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--unique", action="store_true", help="count identical files once")
    ap.add_argument("--json", type=Path, help="write every file's result here")
    ap.add_argument("--quiet", action="store_true", help="only the summary")
    ap.add_argument("--no-nocmodl", action="store_true", help="do not ask nocmodl about errors")
    args = ap.parse_args(argv)
    nocmodl = None if args.no_nocmodl else find_nocmodl()
    files = sorted({p.resolve() for f in args.folders for p in Path(f).rglob("*.mod")})
    seen: dict[str, Path] = {}
    results: list[dict] = []
    for path in files:
        digest = hashlib.sha1(path.read_bytes()).hexdigest()
        if args.unique and digest in seen:
            continue
        seen.setdefault(digest, path)
        category, detail = classify(path, nocmodl)
        results.append({"file": str(path), "sha1": digest, "result": category, "detail": detail})
        if not args.quiet and category != "compiled":
            print(f"{category:9s} {path}: {detail}")
    counts = Counter(r["result"] for r in results)
    total = len(results)
    print()
    print(f"files: {total}{' (unique contents)' if args.unique else ''}")
    for key in ("compiled", "refused", "rejected", "failed"):
        share = 100.0 * counts[key] / total if total else 0.0
        print(f"  {key:9s} {counts[key]:5d}  {share:5.1f} %")
    reasons = Counter(construct_of(r["detail"]) for r in results if r["result"] == "refused")
    if reasons:
        print("refused by name:")
        for reason, count in reasons.most_common():
            print(f"  {count:5d}  {reason}")
    if args.json:
        args.json.write_text(json.dumps({"counts": dict(counts), "files": results}, indent=1))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
