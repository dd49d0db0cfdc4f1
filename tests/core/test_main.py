"""``python -m pyneuro script.py``: NEURON scripts run unchanged, with pyneuro answering
``import neuron``; the same script under NEURON gives the same numbers."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import json
    import sys

    import neuron
    from neuron import gui, h, n  # noqa: F401 (gui: must import, and do nothing)
    from neuron.units import mV, ms

    assert n is neuron.n and h is neuron.h
    assert neuron.units.ms == ms == 1.0
    soma = n.Section(name="soma")
    soma.L = soma.diam = 20
    soma.insert("hh")
    stim = n.IClamp(soma(0.5))
    stim.delay, stim.dur, stim.amp = 1, 20, float(sys.argv[1])
    spikes = n.Vector()
    nc = n.NetCon(soma(0.5)._ref_v, None, sec=soma)
    nc.threshold = 0 * mV
    nc.record(spikes)
    pc = n.ParallelContext()
    pc.set_maxstep(10)
    n.finitialize(-65 * mV)
    pc.psolve(25 * ms)
    print("RESULT " + json.dumps({
        "argv": sys.argv[1:], "name": __name__, "version": neuron.__version__,
        "t": n.t, "v": soma(0.5).v, "spikes": list(spikes),
    }))
    sys.exit(int(sys.argv[2]))
    """
)


def _result(out: str) -> dict:
    line = [x for x in out.splitlines() if x.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT ") :])


def test_neuron_script_runs_unchanged(tmp_path):
    script = tmp_path / "model.py"
    script.write_text(SCRIPT)
    ours = subprocess.run(
        [sys.executable, "-m", "pyneuro", str(script), "0.3", "5"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert ours.returncode == 5, ours.stderr  # the script's sys.exit reaches the shell
    got = _result(ours.stdout)
    assert got["argv"] == ["0.3", "5"] and got["name"] == "__main__"
    assert got["version"] == "9.0.2"
    pytest.importorskip("neuron")
    theirs = subprocess.run(
        [sys.executable, str(script), "0.3", "5"], capture_output=True, text=True, cwd=tmp_path
    )
    assert theirs.returncode == 5, theirs.stderr
    ref = _result(theirs.stdout)
    assert len(ref["spikes"]) >= 2
    assert got["t"] == pytest.approx(ref["t"], abs=1e-9)
    assert got["v"] == pytest.approx(ref["v"], abs=1e-6)
    assert got["spikes"] == pytest.approx(ref["spikes"], abs=1e-9)


def test_script_folder_is_on_path_and_errors_propagate(tmp_path):
    (tmp_path / "helper.py").write_text("VALUE = 42\n")
    (tmp_path / "main.py").write_text(
        "import helper\nprint('helper', helper.VALUE)\nraise ValueError('boom')\n"
    )
    run = subprocess.run(
        [sys.executable, "-m", "pyneuro", str(tmp_path / "main.py")],
        capture_output=True,
        text=True,
    )
    assert "helper 42" in run.stdout
    assert run.returncode == 1 and "ValueError: boom" in run.stderr


def test_code_string_and_usage(tmp_path):
    code = "import sys, neuron; print(neuron.n, sys.argv)"
    run = subprocess.run(
        [sys.executable, "-m", "pyneuro", "-c", code, "x"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "['-c', 'x']" in run.stdout
    assert subprocess.run([sys.executable, "-m", "pyneuro"], capture_output=True).returncode == 2
    threads = subprocess.run(
        [
            sys.executable,
            "-m",
            "pyneuro",
            "--nthread",
            "2",
            "-c",
            "import neuron; print('nthread', neuron.n.ParallelContext().nthread())",
        ],
        capture_output=True,
        text=True,
    )
    assert threads.returncode == 0 and "nthread 2" in threads.stdout, threads.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "pyneuro", str(tmp_path / "nope.py")],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and "can't open file" in missing.stderr


def test_shim_refuses_what_pyneuro_lacks():
    from pyneuro import neuron_shim

    mod = neuron_shim.build()["neuron"]
    with pytest.raises(AttributeError, match="pyneuro does not provide neuron.rxd"):
        _ = mod.rxd
