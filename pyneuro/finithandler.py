"""``n.FInitializeHandler([type,] callable)``: user code run at fixed points of finitialize.

Types, as NEURON: 3 at the very start (structure may still change), 0 after v is set and
before the INITIAL blocks, 1 (the default) after the INITIAL blocks (the place to change
states), 2 just before finitialize returns (the place to record values at t = 0). Handlers of
one type run in creation order and live as long as the handler object.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from typing import Any

_ids = itertools.count()
_handlers: weakref.WeakValueDictionary[int, FInitializeHandler] = weakref.WeakValueDictionary()


class FInitializeHandler:
    """Run ``func`` during every finitialize at the point given by ``kind`` (0–3)."""

    def __init__(self, *args: Any) -> None:
        if len(args) == 1:
            kind, func = 1, args[0]
        elif len(args) == 2:
            kind, func = int(args[0]), args[1]
        else:
            raise TypeError("FInitializeHandler([type,] callable)")
        if kind not in (0, 1, 2, 3):
            raise ValueError(f"FInitializeHandler type must be 0, 1, 2 or 3 (got {kind})")
        if isinstance(func, str):
            raise NotImplementedError(
                "FInitializeHandler with a HOC statement needs the HOC interpreter; "
                "pass a Python callable"
            )
        if not callable(func):
            raise TypeError("FInitializeHandler needs a callable")
        self.kind = kind
        self.func: Callable[[], Any] = func
        self._id = next(_ids)
        _handlers[self._id] = self


def run_handlers(kind: int) -> None:
    """Call every live handler of this type, in creation order."""
    for key in sorted(_handlers.keys()):
        handler = _handlers.get(key)
        if handler is not None and handler.kind == kind:
            handler.func()
