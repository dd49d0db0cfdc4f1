"""Numba text for KINETIC blocks solved by ``sparse`` (scopmath's ``sparse_thread``).

The matrix lives in a dense flat array ``_mat[row*n + col]`` and the right-hand side in
``_rhs``; only the elements scopmath keeps (the KINETIC function's elements and the fill-in
of its elimination order, `nmodl.solve.sparse_order`) are ever read, and they are updated in
scopmath's order, so the solution is NEURON's to the bit.
"""

from __future__ import annotations

from .. import ir

ARGS = "ni, nd, sc, data, gl, tab, ions, ion_slot"
HELPER_ARGS = f"i, {ARGS}"


def _csr(lists: list[list[int]]) -> tuple[list[int], list[int]]:
    ptr = [0]
    flat: list[int] = []
    for row in lists:
        flat.extend(row)
        ptr.append(len(flat))
    return ptr, flat


def sparse_functions(s: ir.OdeSolver, decorator: str) -> list[str]:
    """``_matsol_<key>``, ``_sparse_<key>`` (one ``sparse_thread`` call), ``_work_<key>``,
    ``_solve_<key>`` and ``_ss_solve_<key>`` (``_ss_sparse_thread``)."""
    spec = s.sparse
    assert spec is not None
    key = s.key
    n = spec.n
    lptr, low = _csr(spec.lower)
    uptr, up = _csr(spec.upper)
    lines = [
        f"_PIV_{key} = np.array({spec.pivots!r}, dtype=np.int64)",
        f"_LPTR_{key} = np.array({lptr!r}, dtype=np.int64)",
        f"_LOW_{key} = np.array({low!r}, dtype=np.int64)",
        f"_UPTR_{key} = np.array({uptr!r}, dtype=np.int64)",
        f"_UP_{key} = np.array({up!r}, dtype=np.int64)",
        f"_ROWS_{key} = np.array({s.rows!r}, dtype=np.int64)",
        f"_DROWS_{key} = np.array({s.drows!r}, dtype=np.int64)",
        "",
        "",
        decorator,
        f"def _matsol_{key}(_mat, _rhs):",
        f"    n = {n}",
        "    for k in range(n):",
        f"        p = _PIV_{key}[k]",
        "        if abs(_mat[p * n + p]) <= 1e-20:",
        "            return 2",
        f"        for a in range(_LPTR_{key}[k], _LPTR_{key}[k + 1]):",
        f"            r = _LOW_{key}[a]",
        "            rr = _mat[r * n + p] / _mat[p * n + p]",
        "            _rhs[r] -= _rhs[p] * rr",
        f"            for b in range(_UPTR_{key}[k], _UPTR_{key}[k + 1]):",
        f"                c = _UP_{key}[b]",
        "                _mat[r * n + c] -= _mat[p * n + c] * rr",
        "    for k in range(n - 1, -1, -1):",
        f"        p = _PIV_{key}[k]",
        f"        for b in range(_UPTR_{key}[k], _UPTR_{key}[k + 1]):",
        f"            c = _UP_{key}[b]",
        "            _rhs[p] -= _mat[p * n + c] * _rhs[c]",
        "        _rhs[p] /= _mat[p * n + p]",
        "    return 0",
        "",
        "",
        decorator,
        f"def _sparse_{key}({HELPER_ARGS}, _mat, _rhs, linflag):",
        f"    n = {n}",
        "    for k in range(n):",
        f"        data[_DROWS_{key}[k], i] = data[_ROWS_{key}[k], i]",
        "    err = 1.0",
        "    j = 0",
        "    while err > 1e-6:",
        "        _mat[:] = 0.0",
        f"        _ode_{key}({HELPER_ARGS}, _mat, _rhs)",
        f"        ierr = _matsol_{key}(_mat, _rhs)",
        "        if ierr != 0:",
        "            return ierr",
        "        err = 0.0",
        "        for k in range(n):",
        f"            r = _ROWS_{key}[k]",
        "            data[r, i] += _rhs[k]",
        "            if linflag == 0 and data[r, i] < 0.0:",
        "                data[r, i] = 0.0",
        "            err += abs(_rhs[k])",
        "        if j > 20:",
        "            return 1",
        "        if linflag != 0:",
        "            break",
        "        j += 1",
        "    _mat[:] = 0.0",
        f"    _ode_{key}({HELPER_ARGS}, _mat, _rhs)",
        "    for k in range(n):",
        f"        d = _DROWS_{key}[k]",
        f"        data[d, i] = (data[_ROWS_{key}[k], i] - data[d, i]) / sc[1]",
        "    return 0",
        "",
        "",
        decorator,
        f"def _work_{key}():",
        f"    return (np.zeros({n * n}), np.zeros({n}))",
        "",
        "",
        decorator,
        f"def _solve_{key}({HELPER_ARGS}, _wk):",
        # NEURON ignores sparse_thread's error code
        f"    _sparse_{key}({HELPER_ARGS}, _wk[0], _wk[1], {int(spec.linear)})",
        *_secondorder(s),
        "",
        "",
        decorator,
        f"def _ss_solve_{key}({HELPER_ARGS}, _wk):",
        "    _dtsav = sc[1]",
        "    sc[1] = 1e9",
    ]
    if spec.linear:
        lines.append(f"    _sparse_{key}({HELPER_ARGS}, _wk[0], _wk[1], 0)")
    else:
        lines += [
            "    for _it in range(7):",
            f"        if _sparse_{key}({HELPER_ARGS}, _wk[0], _wk[1], 1) != 0:",
            "            break",
            "        ok = True",
            f"        for k in range({n}):",
            f"            r = _ROWS_{key}[k]",
            "            if data[r, i] < -1e-6:",
            "                data[r, i] = 0.0",
            "                ok = False",
            "        if ok:",
            f"            _sparse_{key}({HELPER_ARGS}, _wk[0], _wk[1], 0)",
            "            break",
        ]
    lines += ["    sc[1] = _dtsav", *_secondorder(s)]
    return lines


def _secondorder(s: ir.OdeSolver) -> list[str]:
    lines = ["    if sc[3] != 0.0:"]
    for r, d in zip(s.rows, s.drows):
        lines.append(f"        data[{r}, i] += sc[1] * data[{d}, i]")
    return lines
