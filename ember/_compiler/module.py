"""``OptimizedModule``: what ``ember.compile(module)`` returns, as torch's does.

It holds the module as its submodule ``_orig_mod`` (so its ``state_dict`` keys start with
``_orig_mod.``, as torch's do), calls it through a compiled callable, and hands every other
attribute lookup to the original module (``compiled.weight is module.weight``).
"""
from ..nn import Module
from .compiled import Compiled


class OptimizedModule(Module):
    """A module whose calls are recorded and replayed (see ``ember.compile``)."""

    def __init__(self, mod):
        super().__init__()
        self._orig_mod = mod
        self.__dict__["_compiled"] = Compiled(mod, module=mod)

    def forward(self, *args, **kwargs):
        return self._compiled(*args, **kwargs)

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self.__dict__["_modules"]["_orig_mod"], name)
