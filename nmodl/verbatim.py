"""VERBATIM blocks: which C idioms mean nothing for pyneuro, and what the rest touches.

nocmodl pastes VERBATIM text into its C++ unchanged. pyneuro cannot run C, so each block is
sorted here (the classes of ``research/nmodl-survey.md`` §2.3, §4.4):

* ``trivial``: empty, comments, ``#include`` / ``extern`` declarations, and ``return``
  statements (the caller decides what a ``return`` at the end of a block means);
* ``ioncopy``: ``cai = _ion_cai;`` style copies between a mechanism's ion variables and the
  ion, which pyneuro's kernels already do at the start and end of each instance;
* ``printf``: only ``printf``/``fprintf(stderr, ...)`` calls whose arguments are NMODL
  expressions once nocmodl's ``_l`` prefix of LOCALs is removed;
* ``c``: anything else, refused when the mechanism (or the FUNCTION holding it) is used; the
  refusal names the NEURON/C internals the block touches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_RETURN = re.compile(r"^return\b\s*(.*?)\s*;$", re.S)
_ION_COPY = re.compile(r"^(?:(\w+)\s*=\s*_ion_(\w+)|_ion_(\w+)\s*=\s*(\w+))\s*;$")
_PRINTF = re.compile(r'^(?:printf\s*\(|fprintf\s*\(\s*stderr\s*,)\s*(".*")\s*(,.*)?\)\s*;$', re.S)
_DECL = re.compile(r"^(?:extern|static)?\s*(?:double|int|float|void|char)\b[^;{}()]*;$")

#: names whose presence says which part of NEURON's C API a block relies on
_INTERNALS = re.compile(
    r"\b(_p_\w+|_ppvar|_p\b|_nt\b|_thread|_ml\b|_iml|nrn_\w+|hoc_\w+|vector_\w+|ifarg|getarg|"
    r"gargstr|hoc_obj_\w+|malloc|calloc|realloc|free|fopen|fclose|fprintf|fscanf|sscanf|"
    r"scanf|memcpy|memset|strcmp|strcpy|mcell_ran4\w*|drand48|erand48|rand|random|srand|"
    r"nrnran123_\w+|net_send|net_event|artcell_net_send|struct|typedef|static|emalloc|"
    r"ecalloc|Object|Symbol|Point_process|IvocVect|Vect|t\b|dt\b)"
)


@dataclass(frozen=True)
class Classified:
    """The class of one VERBATIM block; for ``printf``, the calls as (format, args text);
    for a trailing ``return x;``, the C text of x (or None)."""

    kind: str  # trivial | ioncopy | printf | c
    printfs: tuple[tuple[str, str], ...] = ()
    returns: bool = False
    return_value: str | None = None
    internals: tuple[str, ...] = ()


def _statements(text: str) -> list[str]:
    """C statements and preprocessor lines of a block (comments removed)."""
    text = _COMMENT.sub(" ", text)
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            out.append(line)
            continue
        out.append(line)
    # join lines into statements ending with ';', '{' or '}'
    joined = " ".join(s for s in out if not s.startswith("#"))
    stmts = [s.strip() + ";" for s in _split_semicolons(joined) if s.strip()]
    return [s for s in out if s.startswith("#")] + stmts


def _split_semicolons(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    in_str = False
    cur = []
    k = 0
    while k < len(text):
        c = text[k]
        if in_str:
            cur.append(c)
            if c == "\\" and k + 1 < len(text):
                cur.append(text[k + 1])
                k += 2
                continue
            if c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            cur.append(c)
        elif c == "(":
            depth += 1
            cur.append(c)
        elif c == ")":
            depth -= 1
            cur.append(c)
        elif c == ";" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        k += 1
    if "".join(cur).strip():
        parts.append("".join(cur))
    return parts


def classify(text: str) -> Classified:
    """Sort one VERBATIM block (see the module docstring)."""
    stmts = _statements(text)
    if any(s in ("{;", "};", "{", "}") for s in stmts) or "{" in "".join(stmts):
        return _c(text)
    kinds: set[str] = set()
    printfs: list[tuple[str, str]] = []
    returns = False
    return_value = None
    for k, s in enumerate(stmts):
        if s.startswith("#include") or s.startswith("#pragma"):
            kinds.add("trivial")
            continue
        if s.startswith("#"):
            return _c(text)
        m = _RETURN.match(s)
        if m:
            if k != len(stmts) - 1:
                return _c(text)
            returns = True
            return_value = m.group(1) or None  # C text (the caller translates it)
            kinds.add("trivial")
            continue
        if _DECL.match(s) and "(" not in s and "=" not in s:
            kinds.add("trivial")
            continue
        if re.match(r"^(?:extern\s+)?(?:double|int|float|void|char)\s+\**\w+\s*\([^)]*\)\s*;$", s):
            kinds.add("trivial")  # a prototype
            continue
        m = _ION_COPY.match(s)
        if m and (m.group(1) == m.group(2) or m.group(3) == m.group(4)):
            kinds.add("ioncopy")
            continue
        m = _PRINTF.match(s)
        if m:
            printfs.append((m.group(1), (m.group(2) or "")[1:].strip()))
            kinds.add("printf")
            continue
        return _c(text)
    if "printf" in kinds:
        kind = "printf"
    elif "ioncopy" in kinds:
        kind = "ioncopy"
    else:
        kind = "trivial"
    return Classified(kind, tuple(printfs), returns, return_value)


def _c(text: str) -> Classified:
    found = dict.fromkeys(m.group(1) for m in _INTERNALS.finditer(_COMMENT.sub(" ", text)))
    return Classified("c", internals=tuple(found))


def split_args(text: str) -> list[str]:
    """Top-level comma-separated arguments of a C call's argument text."""
    out: list[str] = []
    depth = 0
    in_str = False
    cur: list[str] = []
    for c in text:
        if in_str:
            cur.append(c)
            if c == '"':
                in_str = False
            continue
        if c == '"':
            in_str = True
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
            continue
        cur.append(c)
    if "".join(cur).strip():
        out.append("".join(cur).strip())
    return out


def nmodl_expression(c_text: str) -> str:
    """nocmodl's C names back to NMODL names (``_lx`` -> ``x``) for a simple expression."""
    return re.sub(r"\b_l(\w+)", r"\1", c_text)


# ------------------------------------------------------------ the Random-object idiom
#
# Older models (NetStim copies, many synapses) keep a hoc Random object in a POINTER (or
# BBCOREPOINTER) that a PROCEDURE sets from its argument and a FUNCTION draws from:
#
#     PROCEDURE noiseFromRandom() { VERBATIM { void** pv = (void**)(&_p_rng);
#         if (ifarg(1)) { *pv = nrn_random_arg(1); } else { *pv = (void*)0; } } ENDVERBATIM }
#     FUNCTION erand() { VERBATIM if (_p_rng) { _lerand = nrn_random_pick(_p_rng); } else {
#         ENDVERBATIM erand = exprand(1) VERBATIM } ENDVERBATIM }
#
# pyneuro maps it onto the Random object's state: the handle row holds the address of the
# Random's state buffer and the draw is ``pyneuro.random.pick_at`` (NEURON's
# ``nrn_random_pick``, the distribution last selected). The texts below are matched after
# comments, preprocessor-free whitespace and optional casts are removed.

_RANDCAST = r"(?:RANDCAST|\(void\*\))?"
_NULL = r"(?:\(void\*\)0|0|NULL|nullptr)"
_SETTER = re.compile(
    r"^\{?void\*\*(\w+)=\(void\*\*\)\(?&\(?_p_(\w+)\)?\)?;"
    r"(?:if\(ifarg\(1\)\)\{\*\1=nrn_random_arg\(1\);\}else\{\*\1=" + _NULL + r";\}"
    r"|\*\1=nrn_random_arg\(1\);)\}?$"
)
_THREAD_CHECK = r'(?:if\(_nt!=nrn_threads\)\{hoc_execerror\("[^"]*","[^"]*"\);\})?'
_PICK_OPEN = re.compile(
    r"^(?:double(\w+);)?if\(_p_(\w+)\)\{(\w+)=nrn_random_pick\(" + _RANDCAST + r"_p_\2\);"
    r"(return\3;)?\}else\{" + _THREAD_CHECK + r"$"
)
_PICK_BARE = re.compile(r"^(?:(_l\w+)=|return)nrn_random_pick\(" + _RANDCAST + r"_p_(\w+)\);$")


def _squeezed(text: str) -> str:
    """The block without comments and whitespace (None-safe for preprocessor lines)."""
    return re.sub(r"\s+", "", _COMMENT.sub(" ", text))


def random_setter(text: str) -> str | None:
    """The handle name when the block is the idiom's setter (``*pv = nrn_random_arg(1)``)."""
    m = _SETTER.match(_squeezed(text))
    return m.group(2) if m else None


def random_pick_open(text: str) -> tuple[str, str, bool, str | None] | None:
    """``[double x;] if (_p_h) { y = nrn_random_pick(_p_h); [return y;] } else {`` left open
    for NMODL code and a closing ``}`` block: (handle, C target y, returns, the C local x
    declared or None) or None."""
    m = _PICK_OPEN.match(_squeezed(text))
    return (m.group(2), m.group(3), bool(m.group(4)), m.group(1)) if m else None


def random_pick_bare(text: str) -> tuple[str, str | None] | None:
    """``_lf = nrn_random_pick(_p_h);`` or ``return nrn_random_pick(_p_h);``: (handle, C
    target or None for return) or None."""
    m = _PICK_BARE.match(_squeezed(text))
    return (m.group(2), m.group(1)) if m else None


def closes_brace(text: str) -> bool:
    """A block that is only ``}`` (the end of an idiom's else branch)."""
    return _squeezed(text) == "}"


def random_handles(texts: list[str]) -> set[str]:
    """Handle names that some block of the file sets with the idiom's setter."""
    return {name for name in map(random_setter, texts) if name is not None}
