"""Command-line tools: ``pyneuro-nrnivmodl`` (NEURON's ``nrnivmodl`` without a C compiler).

``pyneuro-nrnivmodl [mod files or folders]`` compiles the ``.mod`` files of the current folder
(or those given) with pyneuro's NMODL compiler into ``./<arch>/`` (``x86_64/`` on most
machines), exactly where ``nrnivmodl`` puts ``libnrnmech.so``. ``import pyneuro`` run from that
folder then loads them, and ``n.nrn_load_dll(...)`` / ``pyneuro.load_mechanisms(...)`` load them
explicitly. Generated code is reused when a file is unchanged.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

USAGE = """Usage: pyneuro-nrnivmodl [options] [mod files or directories with mod files]
Options:
  -h, --help        show this help and exit
If no mod files or directories are given, the mod files of the current directory are used.
The compiled mechanisms are written to ./{arch}/ and loaded by `import pyneuro` run here."""


def _collect(args: list[str]) -> list[Path]:
    if not args:
        return sorted(Path(".").glob("*.mod"))
    files: list[Path] = []
    for arg in args:
        p = Path(arg)
        if p.is_dir():
            files.extend(sorted(p.glob("*.mod")))
        elif p.suffix == ".mod" and p.is_file():
            files.append(p)
        elif p.with_name(p.name + ".mod").is_file():
            files.append(p.with_name(p.name + ".mod"))
        else:
            raise ValueError(
                f'Arg Error: "{arg}" is not a folder or mod file name or prefix\n'
                f"  arguments: {' '.join(args)}"
            )
    return files


def nrnivmodl_main(argv: list[str] | None = None) -> int:
    """Entry point of ``pyneuro-nrnivmodl``; returns the exit status."""
    from nmodl.errors import NmodlError

    from .mechcache import compile_to_folder
    from .mechloader import MANIFEST, arch_dir_name

    argv = list(sys.argv[1:] if argv is None else argv)
    arch = arch_dir_name()
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE.format(arch=arch))
        return 0
    for arg in argv:
        if arg.startswith("-"):
            print(f"{arg} unrecognized, check available CLI options with --help", file=sys.stderr)
            return 1
    try:
        files = _collect(argv)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 1
    print(os.getcwd())
    print("Mod files: " + " ".join(f'"{f}"' for f in files))
    print()
    out = Path(arch)
    if not out.is_dir():
        print(f"Creating '{arch}' directory for compiled mechanisms.")
        print()
        out.mkdir()
    entries = []
    failed = 0
    for f in files:
        try:
            module, module_file, reused = compile_to_folder(f, out.resolve())
        except NmodlError as err:
            print(str(err), file=sys.stderr)
            failed += 1
            continue
        except Exception as err:  # a crash inside the compiler is our bug, not the user's
            print(
                f"{f}: internal error in pyneuro's NMODL compiler ({type(err).__name__}: {err}); "
                "this is a bug in pyneuro, please report it with the .mod file",
                file=sys.stderr,
            )
            failed += 1
            continue
        print(f" -> NMODL {f}" + ("  (unchanged, reused)" if reused else ""))
        entries.append({"source": str(f.resolve()), "module": module, "module_file": module_file})
    if failed:
        print(f"{failed} of {len(files)} mod files failed to compile; {arch}/ not updated.")
        return 1
    names = {e["module_file"] for e in entries}
    for stale in out.glob("pyneuro_mech_*.py"):
        if stale.name not in names:
            stale.unlink()
    manifest = {"format": 1, "mechanisms": entries}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1))
    print(f"Successfully created {arch}/{MANIFEST}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(nrnivmodl_main())
