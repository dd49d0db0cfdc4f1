"""``python -m pyneuro script.py [args...]``: run a NEURON script with pyneuro answering.

The script sees ``sys.argv == [script.py, args...]`` and its own folder first on ``sys.path``,
as under ``python script.py``; ``import neuron`` gives pyneuro (see `pyneuro.neuron_shim`).
``python -m pyneuro -c CODE [args...]`` runs a string instead. ``--nthread K`` before the script
starts with ``K`` threads, as if it had called ``ParallelContext().nthread(K)`` first.
``python -m pyneuro model.hoc ...`` runs HOC files in order, as ``nrniv model.hoc`` does (from
the first file's folder, with mechanisms compiled there by ``pyneuro-nrnivmodl`` loaded).
"""

from __future__ import annotations

import os
import runpy
import sys

USAGE = (
    "usage: python -m pyneuro [--nthread K] script.py [args...] | -c CODE [args...] | "
    "file.hoc [file.hoc ...]"
)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if not args or args[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if not args else sys.stdout)
        return 2 if not args else 0
    nthread = 1
    while args and args[0].startswith("--nthread"):
        opt = args.pop(0)
        value = opt.split("=", 1)[1] if "=" in opt else (args.pop(0) if args else "")
        if not value.isdigit() or int(value) < 1:
            print(f"python -m pyneuro: --nthread needs a count >= 1\n{USAGE}", file=sys.stderr)
            return 2
        nthread = int(value)
    if not args:
        print(USAGE, file=sys.stderr)
        return 2
    from . import simulator
    from .neuron_shim import install

    install()
    simulator.sim.nthread = nthread
    if args[0] == "-c":
        if len(args) < 2:
            print("python -m pyneuro: -c needs an argument\n" + USAGE, file=sys.stderr)
            return 2
        sys.argv = ["-c", *args[2:]]
        sys.path[0:0] = [""]
        namespace = {"__name__": "__main__", "__builtins__": __builtins__}
        exec(compile(args[1], "<string>", "exec"), namespace)
        return 0
    script = args[0]
    if script.endswith((".hoc", ".oc")):
        return _run_hoc(args)
    if not os.path.isfile(script):
        print(f"python -m pyneuro: can't open file {script!r}", file=sys.stderr)
        return 2
    sys.argv = list(args)
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    runpy.run_path(script, run_name="__main__")
    return 0


def _run_hoc(files: list[str]) -> int:
    """``nrniv a.hoc b.hoc``: each file in turn, from the first one's folder."""
    for f in files:
        if not os.path.isfile(f):
            print(f"python -m pyneuro: can't open file {f!r}", file=sys.stderr)
            return 2
    paths = [os.path.abspath(f) for f in files]
    os.chdir(os.path.dirname(paths[0]))
    from .hoc import HocError, interpreter
    from .mechloader import find_manifest, load_mechanisms

    if find_manifest(".") is not None:
        load_mechanisms(".", warn_if_already_loaded=False)
    try:
        for path in paths:
            interpreter().xopen(path)
    except HocError as exc:
        print(f"pyneuro: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
