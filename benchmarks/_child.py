"""Run one benchmark script unchanged, then save the spikes it recorded for the runner.

usage: python _child.py SCRIPT [args...]   (or: python -m pyneuro _child.py SCRIPT [args...])

The script runs as ``__main__`` exactly as ``python SCRIPT args`` would run it; afterwards its
spike Vectors (W1 ``spk``; W2 ``tvec``/``idvec``; W3 ``spk_t``/``spk_id``) are written as
JSON to the file named by ``$BENCH_SPIKES`` (if set), so that the runner can compare every
spike time without changing the script's own output.
"""

import json
import os
import runpy
import sys

SPIKE_VECTORS = (("spk", None), ("tvec", "idvec"), ("spk_t", "spk_id"))


def main() -> None:
    script = os.path.abspath(sys.argv[1])
    sys.argv = sys.argv[1:]
    sys.path[0] = os.path.dirname(script)
    scope = runpy.run_path(script, run_name="__main__")
    path = os.environ.get("BENCH_SPIKES")
    if not path:
        return
    for tname, idname in SPIKE_VECTORS:
        if tname in scope and (idname is None or idname in scope):
            times = [float(x) for x in scope[tname]]
            ids = [int(x) for x in scope[idname]] if idname else [0] * len(times)
            with open(path, "w") as f:
                json.dump({"t": times, "id": ids}, f)
            return


if __name__ == "__main__":
    main()
