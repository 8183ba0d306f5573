"""Where each public function appears: one declaration next to the function, from which every
public namespace is built.

    @export("torch", "Tensor", inplace=twin("torch", "Tensor"), aliases=("arcsin",))
    def asin(input, *, out=None):
        ...

declares ``ember.asin`` and ``ember.arcsin``, the methods ``x.asin()`` and ``x.arcsin()``, and the
in-place twins ``x.asin_()``, ``ember.asin_(x)``, ``x.arcsin_()`` and ``ember.arcsin_(x)``.  The
places are

* ``"torch"``  -- the top level, ``ember.<name>`` (``torch.<name>``);
* ``"Tensor"`` -- a tensor method, ``x.<name>(...)`` (the function's first argument is ``x``);
* ``"F"``      -- ``ember.nn.functional.<name>``;
* ``"special"`` -- ``ember.special.<name>``;
* ``"linalg"`` -- ``ember.linalg.<name>``.

``ember/__init__.py``, ``Tensor`` (``_ops/tensor_methods.py``) and ``ember/nn/functional`` take
their names from here (:func:`names`), so a function is public exactly where its declaration
says.  Tensor methods are bound once, when ``ember`` is imported: they must be declared by the
operation families of ``ember/_ops``, which ``import ember`` loads.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Sequence, Set, TypeVar

PLACES = ("torch", "Tensor", "F", "special", "linalg")

_names: Dict[str, Dict[str, Any]] = {place: {} for place in PLACES}
_bound: Set[str] = set()    # the places whose names were already handed out for good

Fn = TypeVar("Fn", bound=Callable[..., Any])


def export(*places: str, aliases: Sequence[str] = (), inplace: Any = None,
           name: Optional[str] = None) -> Callable[[Fn], Fn]:
    """Declares the decorated function public in ``places`` under its own name (or ``name``)
    and ``aliases``; ``inplace`` (a :class:`~ember._ops.core.inplace.Twin`) adds the in-place
    twin of each of those names."""
    for place in places:
        if place not in PLACES:
            raise ValueError("unknown place {!r}: expected one of {}".format(place, PLACES))

    def declare(fn: Fn) -> Fn:
        for public_name in (name or fn.__name__,) + tuple(aliases):
            for place in places:
                add(place, public_name, fn)
            if inplace is not None:
                twin_name = public_name + "_"
                method = inplace.make(fn, twin_name)
                for place in inplace.places:
                    add(place, twin_name, method)
        return fn
    return declare


def add(place: str, name: str, obj: Any) -> None:
    """Makes ``obj`` public as ``name`` in ``place``; one name means one object in each place."""
    if place in _bound:
        raise RuntimeError("{}.{} is declared after the {} names were bound: declare it in an "
                           "operation family that `import ember` loads".format(place, name, place))
    old = _names[place].setdefault(name, obj)
    if old is not obj:
        raise RuntimeError("{}.{} is declared twice: {} and {}".format(
            place, name, getattr(old, "__module__", old), getattr(obj, "__module__", obj)))


def names(place: str, final: bool = False) -> Dict[str, Any]:
    """The names declared public in ``place`` so far, as a ``{name: object}`` dict;
    ``final=True`` says the caller binds them for good (no later declaration may add one)."""
    if final:
        _bound.add(place)
    return _names[place]
