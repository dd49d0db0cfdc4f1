"""Symbol table: what each name of a .mod file is, collected from its declarations.

Also the fixed knowledge nocmodl has about NEURON: special variables, ion variable
names, integration methods and builtin functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import ast

#: sc[] entries of the kernel ABI
SCALARS = {"t": 0, "dt": 1, "celsius": 2, "secondorder": 3}
#: nd[] rows of the kernel ABI readable by NMODL code (v is special: a kernel local)
NODE_ROWS = {"v": 0, "area": 3, "diam": 4}
SPECIALS = set(SCALARS) | set(NODE_ROWS)

#: every SOLVE method nocmodl knows
METHODS = {
    "cnexp",
    "derivimplicit",
    "euler",
    "runge",
    "sparse",
    "newton",
    "simeq",
    "_advance",
    "after_cvode",
    "cvode_t",
    "cvode_t_v",
}

#: math builtins: name -> number of arguments
BUILTINS = {
    "exp": 1,
    "log": 1,
    "log10": 1,
    "sqrt": 1,
    "sin": 1,
    "cos": 1,
    "tan": 1,
    "asin": 1,
    "acos": 1,
    "atan": 1,
    "atan2": 2,
    "sinh": 1,
    "cosh": 1,
    "tanh": 1,
    "fabs": 1,
    "floor": 1,
    "ceil": 1,
    "fmod": 2,
    "pow": 2,
    "at_time": 1,
    # legacy random numbers (one generator per process, state in sc[6])
    "scop_random": 0,
    "exprand": 1,
    "normrand": 2,
    "poisrand": 1,
    "set_seed": 1,
}

#: builtins that exist in NEURON but that this compiler does not translate yet
UNSUPPORTED_CALLS = {
    "nrn_ghk": "nrn_ghk",
    "ghk": "ghk (builtin)",
}


#: event statements: name -> number of arguments
EVENT_CALLS = {"net_send": 2, "net_event": 1, "net_move": 1}

#: NEURON 9 RANDOM-variable functions: name -> allowed numbers of arguments (the variable
#: included); their nrnran123 counterparts are in nrn/src/gnu/nrnran123.cpp
RANDOM_CALLS = {
    "random_setseq": (2,),
    "random_setids": (4,),
    "random_uniform": (1, 3),
    "random_negexp": (1, 2),
    "random_normal": (1, 3),
    "random_ipick": (1,),
    "random_dpick": (1,),
}
#: a RANDOM variable's state: counter c0..c3, the block r0..r3, and ``which`` (0..3)
STREAM_ROWS = 9

#: pyneuro's Vector handles (a BBCOREPOINTER variable names one): the functions NMODL code
#: may call on them, name -> number of arguments (the handle included). NEURON's own .mod
#: files reach Vectors from VERBATIM C; these are our NMODL spelling of those C calls.
VECTOR_CALLS = {
    "vector_arg": 1,
    "vector_size": 1,
    "vector_element": 2,
    "vector_set": 3,
    "vector_resize": 2,
}
#: a Vector handle's rows: offset in the pool, length, capacity (-1: no Vector), lost writes
VECTOR_ROWS = 4


def ion_field(ion: str, var: str) -> int | None:
    """Row of the ABI ion array for an ion variable name (ena -> 0, nai -> 1, ...)."""
    if var == f"e{ion}":
        return 0
    if var == f"{ion}i":
        return 1
    if var == f"{ion}o":
        return 2
    if var == f"i{ion}":
        return 3
    return None


@dataclass
class Declaration:
    """A declared variable: which block declared it and its declaration node."""

    block: str  # PARAMETER | ASSIGNED | STATE | CONSTANT | LOCAL (file scope)
    decl: ast.VarDecl | ast.LocalVar


@dataclass
class SymbolTable:
    """Names of a .mod file and what they are."""

    kind: str = "density"
    name: str = ""
    range_names: set[str] = field(default_factory=set)
    global_names: set[str] = field(default_factory=set)
    ions: list[ast.UseIon] = field(default_factory=list)
    ion_vars: dict[str, tuple[int, str, bool]] = field(default_factory=dict)
    nonspecific: list[str] = field(default_factory=list)
    electrode: list[str] = field(default_factory=list)
    current_order: list[tuple[str, str | None]] = field(default_factory=list)
    decls: dict[str, Declaration] = field(default_factory=dict)
    constants: dict[str, float] = field(default_factory=dict)
    defines: dict[str, int] = field(default_factory=dict)
    functions: dict[str, ast.CodeBlock] = field(default_factory=dict)
    derivatives: dict[str, ast.CodeBlock] = field(default_factory=dict)
    kinetics: dict[str, ast.CodeBlock] = field(default_factory=dict)
    linears: dict[str, ast.CodeBlock] = field(default_factory=dict)
    nonlinears: dict[str, ast.CodeBlock] = field(default_factory=dict)
    function_tables: dict[str, ast.FunctionTable] = field(default_factory=dict)
    solvable: dict[str, str] = field(default_factory=dict)  # name -> block kind
    randoms: dict[str, ast.Ident] = field(default_factory=dict)  # RANDOM variables
    vectors: dict[str, ast.Ident] = field(default_factory=dict)  # BBCOREPOINTER handles
    pointers: dict[str, ast.Ident] = field(default_factory=dict)  # POINTER variables
    externals: dict[str, ast.Ident] = field(default_factory=dict)  # EXTERNAL variables

    def size_of(self, size: int | str | None) -> int:
        """Array size of a declaration (DEFINE'd names resolved); 1 for scalars."""
        if size is None:
            return 1
        if isinstance(size, int):
            return size
        return self.defines.get(size, 0)
