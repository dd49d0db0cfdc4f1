"""Numba text for the numerical solvers of SOLVEd blocks (``ir.OdeSolver``).

Each solver ``key`` becomes:

* ``_ode_<key>(i, ...)``: the block body (assigns the D rows, or fills the sparse matrix);
* ``_work_<key>()``: the scratch arrays one kernel call allocates once;
* ``_solve_<key>(i, ..., wk)`` and ``_ss_solve_<key>``: one instance's step, or its
  STEADYSTATE solve, each followed by NEURON's ``if (secondorder) x += dt*Dx``.

The arithmetic is scopmath's, statement for statement (``newton_thread.hpp``,
``crout_thread.hpp``, ``euler_thread.hpp``, ``runge.hpp``, ``sparse_thread.hpp``,
``ssimplic_thread.hpp`` of NEURON 9), so that results agree with NEURON to the last bit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import ir

if TYPE_CHECKING:
    from collections.abc import Callable

ARGS = "ni, nd, sc, data, gl, tab, ions, ion_slot"
HELPER_ARGS = f"i, {ARGS}"

#: Crout LU with partial pivoting and implicit equilibration, and its forward/back
#: substitution (scopmath's nrn_crout_thread / nrn_scopmath_solve_thread with y == nullptr)
LINALG = """
{decorator}
def _crout(n, a, perm, rowmax):
    for i in range(n):
        perm[i] = i
        k = 0
        for j in range(1, n):
            if abs(a[i, j]) > abs(a[i, k]):
                k = j
        rowmax[i] = a[i, k]
    save_i = 0
    for r in range(n):
        for i in range(r, n):
            s = 0.0
            irow = perm[i]
            for k in range(r):
                krow = perm[k]
                s += a[irow, k] * a[krow, r]
            a[irow, r] -= s
        pivot = perm[r]
        equil_1 = abs(a[pivot, r] / rowmax[pivot])
        for i in range(r + 1, n):
            irow = perm[i]
            equil_2 = abs(a[irow, r] / rowmax[irow])
            if equil_2 > equil_1:
                pivot = irow
                save_i = i
                equil_1 = equil_2
        if pivot != perm[r]:
            perm[save_i] = perm[r]
            perm[r] = pivot
        if abs(a[pivot, r]) < 1e-20:
            return 2
        for j in range(r + 1, n):
            s = 0.0
            for k in range(r):
                krow = perm[k]
                s += a[pivot, k] * a[krow, j]
            a[pivot, j] = (a[pivot, j] - s) / a[pivot, r]
    return 0


{decorator}
def _lusolve(n, a, b, perm, p):
    for i in range(n):
        pivot = perm[i]
        s = 0.0
        for j in range(i):
            s += a[pivot, j] * p[j]
        p[i] = (b[pivot] - s) / a[pivot, i]
    for i in range(n - 1, -1, -1):
        pivot = perm[i]
        s = 0.0
        for j in range(i + 1, n):
            s += a[pivot, j] * p[j]
        p[i] -= s
"""

#: nrn_newton_thread: the unknowns are data rows _NIDX_<key>[j]
NEWTON = """
_NIDX_{key} = np.array({nidx!r}, dtype=np.int64)


{decorator}
def _newton_{key}(i, {args}, _save, _value, _jac, _perm, _dx, _high, _low, _rowmax):
    n_ = {n}
    count = 0
    change = 1.0
    error = 0
    while count < 50:
        count += 1
        if change > 0.05:
            for j in range(n_):
                r = _NIDX_{key}[j]
                inc = abs(0.02 * data[r, i])
                if not inc >= 1e-6:
                    inc = 1e-6
                data[r, i] += inc
                _resid_{key}(i, {args}, _save, _value)
                for k in range(n_):
                    _high[k] = _value[k]
                data[r, i] -= 2.0 * inc
                _resid_{key}(i, {args}, _save, _value)
                for k in range(n_):
                    _low[k] = _value[k]
                    _jac[k, j] = (_high[k] - _low[k]) / (2.0 * inc)
                data[r, i] += inc
                _resid_{key}(i, {args}, _save, _value)
            for k in range(n_):
                _value[k] = -_value[k]
            error = _crout(n_, _jac, _perm, _rowmax)
            if error != 0:
                break
        _lusolve(n_, _jac, _value, _perm, _dx)
        change = 0.0
        for k in range(n_):
            r = _NIDX_{key}[k]
            x = data[r, i]
            if abs(x) > 1e-8:
                temp = abs(_dx[k] / x)
                if temp > change:
                    change = temp
            data[r, i] += _dx[k]
        _resid_{key}(i, {args}, _save, _value)
        max_dev = 0.0
        for k in range(n_):
            _value[k] = -_value[k]
            temp = abs(_value[k])
            if temp > max_dev:
                max_dev = temp
        if change <= 1e-6 and max_dev <= 1e-8:
            break
        if count == 50:
            error = 1
            break
    return error
"""


def _secondorder(s: ir.OdeSolver, pad: str) -> list[str]:
    lines = [f"{pad}if sc[3] != 0.0:"]
    for r, d in zip(s.rows, s.drows):
        lines.append(f"{pad}    data[{r}, i] += sc[1] * data[{d}, i]")
    return lines


def _newton_and_work(s: ir.OdeSolver, decorator: str) -> list[str]:
    """scopmath's Newton iteration over ``s``'s unknowns and its work arrays (shared by
    derivimplicit and NONLINEAR; each supplies ``_resid_<key>``)."""
    n = len(s.rows)
    lines = NEWTON.format(
        key=s.key,
        nidx=[s.rows[k] for k in s.newton],
        n=n,
        args=ARGS,
        decorator=decorator,
    ).split("\n")
    return lines + [
        "",
        decorator,
        f"def _work_{s.key}():",
        f"    return (np.zeros({n}), np.zeros({n}), np.zeros(({n}, {n})), "
        f"np.zeros({n}, dtype=np.int64), np.zeros({n}), np.zeros({n}), np.zeros({n}), "
        f"np.zeros({n}))",
    ]


def _derivimplicit(s: ir.OdeSolver, decorator: str, mech_name: str) -> list[str]:
    key = s.key
    lines = [decorator, f"def _resid_{key}({HELPER_ARGS}, _save, _value):"]
    lines.append(f"    _ode_{key}({HELPER_ARGS})")
    for k, (r, d) in enumerate(zip(s.rows, s.drows)):
        lines.append(f"    _value[{k}] = data[{d}, i] - (data[{r}, i] - _save[{k}]) / sc[1]")
    lines += _newton_and_work(s, decorator)
    message = (
        f"derivimplicit in '{mech_name}' (block {s.block}): Newton iteration failed "
        "(singular Jacobian or no convergence in 50 iterations)"
    )
    for steady in (False, True):
        name = f"_ss_solve_{key}" if steady else f"_solve_{key}"
        lines += ["", "", decorator, f"def {name}({HELPER_ARGS}, _wk):"]
        if steady:
            lines += ["    _dtsav = sc[1]", "    sc[1] = 1e-9"]
        for k, r in enumerate(s.rows):
            lines.append(f"    _wk[0][{k}] = data[{r}, i]")
        lines += [
            f"    _err = _newton_{key}(i, {ARGS}, _wk[0], _wk[1], _wk[2], _wk[3], _wk[4], "
            "_wk[5], _wk[6], _wk[7])",
            "    if _err != 0:",
        ]
        if steady:
            lines.append("        sc[1] = _dtsav")
        lines += [
            f"        raise ArithmeticError({message!r})",
            f"    _resid_{key}({HELPER_ARGS}, _wk[0], _wk[1])",
        ]
        if steady:
            lines.append("    sc[1] = _dtsav")
        lines += _secondorder(s, "    ")
    return lines


def _explicit(s: ir.OdeSolver, decorator: str) -> list[str]:
    """euler, runge, and SOLVE without METHOD (nocmodl only evaluates the derivatives)."""
    n = len(s.rows)
    key = s.key
    lines = [decorator, f"def _work_{key}():", f"    return (np.zeros({2 * n}),)", ""]
    lines += ["", decorator, f"def _solve_{key}({HELPER_ARGS}, _wk):"]
    call = f"    _ode_{key}({HELPER_ARGS})"
    if s.method == "euler":
        lines.append(call)
        for r, d in zip(s.rows, s.drows):
            lines.append(f"    data[{r}, i] += sc[1] * data[{d}, i]")
    elif s.method == "runge":
        rd = list(zip(s.rows, s.drows))
        lines += ["    _w = _wk[0]", "    _h = sc[1]", call]
        for k, (r, d) in enumerate(rd):
            lines += [
                f"    _w[{k}] = data[{r}, i]",
                f"    _temp = (_h / 2.0) * data[{d}, i]",
                f"    data[{r}, i] += _temp",
                f"    _w[{n + k}] = _w[{k}] + _temp / 3.0",
            ]
        lines += ["    sc[0] += _h / 2.0", call]
        for k, (r, d) in enumerate(rd):
            lines += [
                f"    _temp = _h * data[{d}, i]",
                f"    data[{r}, i] = _w[{k}] + _temp / 2.0",
                f"    _w[{n + k}] += _temp / 3.0",
            ]
        lines.append(call)
        for k, (r, d) in enumerate(rd):
            lines += [
                f"    _temp = _h * data[{d}, i]",
                f"    data[{r}, i] = _w[{k}] + _temp",
                f"    _w[{n + k}] += _temp / 3.0",
            ]
        lines += ["    sc[0] += _h / 2.0", call]
        for k, (r, d) in enumerate(rd):
            lines.append(f"    data[{r}, i] = _w[{n + k}] + (_h / 6.0) * data[{d}, i]")
        lines.append("    sc[0] -= _h")
    else:  # no METHOD: nocmodl's derivimplicit_thread call of the plain block
        lines.append(call)
    lines += _secondorder(s, "    ")
    return lines


def _simeq(s: ir.OdeSolver, decorator: str, mech_name: str) -> list[str]:
    """A LINEAR block: its rows into ``_mat`` (n x n+1, flat), then scopmath's simeq."""
    n = len(s.rows)
    w = n + 1
    key = s.key
    message = f"simeq in '{mech_name}' (LINEAR {s.block}): the matrix is singular"
    return [
        f"_ROWS_{key} = np.array({s.rows!r}, dtype=np.int64)",
        "",
        "",
        decorator,
        f"def _simeq_{key}(c, perm, data, i):",
        f"    n = {n}",
        f"    w = {w}",
        "    for k in range(n):",
        "        perm[k] = k",
        "    isave = 0",
        "    for j in range(n):",
        "        ipivot = perm[j]",
        "        for r in range(j + 1, n):",
        "            jrow = perm[r]",
        "            if abs(c[ipivot * w + j]) < abs(c[jrow * w + j]):",
        "                ipivot = jrow",
        "                isave = r",
        "        if abs(c[ipivot * w + j]) < 1e-20:",
        "            return 2",
        "        if ipivot != perm[j]:",
        "            perm[isave] = perm[j]",
        "            perm[j] = ipivot",
        "        for kcol in range(j + 1, n + 1):",
        "            c[ipivot * w + kcol] /= c[ipivot * w + j]",
        "        for r in range(j + 1, n):",
        "            jrow = perm[r]",
        "            for kcol in range(j + 1, n + 1):",
        "                c[jrow * w + kcol] -= c[ipivot * w + kcol] * c[jrow * w + j]",
        "    for r in range(n - 1, -1, -1):",
        "        jrow = perm[r]",
        f"        row = _ROWS_{key}[r]",
        "        data[row, i] = c[jrow * w + n]",
        "        for j2 in range(r + 1, n):",
        f"            data[row, i] -= c[jrow * w + j2] * data[_ROWS_{key}[j2], i]",
        "    return 0",
        "",
        "",
        decorator,
        f"def _work_{key}():",
        f"    return (np.zeros({n * w}), np.zeros(1), np.zeros({n}, dtype=np.int64))",
        "",
        "",
        decorator,
        f"def _solve_{key}({HELPER_ARGS}, _wk):",
        "    _wk[0][:] = 0.0",
        f"    _ode_{key}({HELPER_ARGS}, _wk[0], _wk[1])",
        f"    if _simeq_{key}(_wk[0], _wk[2], data, i) != 0:",
        f"        raise ArithmeticError({message!r})",
    ]


def _nonlinear(s: ir.OdeSolver, decorator: str, mech_name: str) -> list[str]:
    """A NONLINEAR block: its residuals (``_ode``, into ``_value``) and scopmath's newton."""
    key = s.key
    lines = [
        decorator,
        f"def _resid_{key}({HELPER_ARGS}, _save, _value):",
        f"    _ode_{key}({HELPER_ARGS}, _value, _save)",
    ]
    lines += _newton_and_work(s, decorator)
    message = (
        f"newton in '{mech_name}' (NONLINEAR {s.block}): the iteration failed "
        "(singular Jacobian or no convergence in 50 iterations)"
    )
    lines += [
        "",
        "",
        decorator,
        f"def _solve_{key}({HELPER_ARGS}, _wk):",
        f"    _err = _newton_{key}(i, {ARGS}, _wk[0], _wk[1], _wk[2], _wk[3], _wk[4], "
        "_wk[5], _wk[6], _wk[7])",
        "    if _err != 0:",
        f"        raise ArithmeticError({message!r})",
    ]
    return lines


def solver_functions(
    mech: ir.Mechanism,
    decorator: str,
    body_lines: Callable[[tuple[ir.Stmt, ...]], list[str]],
) -> list[list[str]]:
    """Module chunks for every solver of ``mech``; ``body_lines`` prints a statement list
    as the body of a helper function (indent 1)."""
    chunks: list[list[str]] = []
    if any(s.method in ("derivimplicit", "newton") for s in mech.ode_solvers.values()):
        chunks.append(LINALG.format(decorator=decorator).strip("\n").split("\n"))
    for s in mech.ode_solvers.values():
        body = body_lines(s.body) or ["    pass"]
        extra = ", _mat, _rhs" if s.method in ("sparse", "simeq", "newton") else ""
        chunks.append([decorator, f"def _ode_{s.key}({HELPER_ARGS}{extra}):", *body])
        if s.method == "derivimplicit":
            chunks.append(_derivimplicit(s, decorator, mech.name))
        elif s.method in ("euler", "runge", "none"):
            chunks.append(_explicit(s, decorator))
        elif s.method == "simeq":
            chunks.append(_simeq(s, decorator, mech.name))
        elif s.method == "newton":
            chunks.append(_nonlinear(s, decorator, mech.name))
        else:
            from . import numba_sparse

            chunks.append(numba_sparse.sparse_functions(s, decorator))
    return chunks


def solve_keys(stmts: tuple[ir.Stmt, ...] | list[ir.Stmt]) -> list[str]:
    """Keys of the solvers a statement list runs (its kernel allocates their work arrays)."""
    keys: list[str] = []

    def walk(body: tuple[ir.Stmt, ...] | list[ir.Stmt]) -> None:
        for st in body:
            if isinstance(st, ir.SolveOde) and st.key not in keys:
                keys.append(st.key)
            elif isinstance(st, ir.If):
                walk(st.body)
                walk(st.orelse)
            elif isinstance(st, (ir.While, ir.For)):
                walk(st.body)

    walk(stmts)
    return keys
