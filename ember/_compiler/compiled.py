"""The callable ``ember.compile`` returns: record, compare, replay, or run eagerly.

Each call looks up the recordings made for its arguments' shapes, dtypes and grad mode and
checks their guards.  A recording is *trusted* once two calls in a row recorded the same work
(equal signatures): from then on a call whose guards hold is a replay.  A recording that was
refused (a value read into Python, hooks, a data-dependent shape ...) makes calls with the
same guards run eagerly.  After ``RECORD_LIMIT`` recordings for one kind of arguments the
function runs eagerly for them (torch's ``recompile_limit`` plays the same part).
"""
import weakref

from .._tensor import Tensor
from . import recorder as _rec
from .session import record
from .watch import Reachable, grad_enabled

RECORD_LIMIT = 8
_ALL = weakref.WeakSet()       # every compiled callable, for ``ember.compiler.reset()``


class Compiled:
    """``fn`` compiled: call it as ``fn``.  ``recordings`` counts the calls recorded and
    ``replays`` the calls replayed (for tests and for students watching it work)."""

    def __init__(self, fn, module=None):
        self._fn = fn
        self._module = module
        self._cache = {}
        self._counts = {}
        self.recordings = 0
        self.replays = 0
        _ALL.add(self)

    def reset(self):
        """Forgets every recording."""
        self._cache.clear()
        self._counts.clear()

    def explain(self):
        """Why calls run eagerly: the reason of each refused recording (empty when none)."""
        return [plan.refused for plans in self._cache.values() for plan in plans
                if plan.refused is not None]

    def __call__(self, *args, **kwargs):
        fn = self._fn
        if _rec.current() is not None or _stance[0] == "force_eager":
            return fn(*args, **kwargs)
        key = _key(args, kwargs)
        if key is None:
            return fn(*args, **kwargs)
        plans = self._cache.get(key)
        candidate = None
        if plans:
            for plan in plans:
                if plan.guards.check():
                    if plan.refused is not None:
                        return fn(*args, **kwargs)
                    if plan.trusted:
                        result = plan.run(args, kwargs)
                        if result is not _rec.Diverged:
                            self.replays += 1
                            return result
                        plan.diverged += 1
                        if plan.diverged >= RECORD_LIMIT:
                            plan.refused = "values read into Python keep changing"
                        return fn(*args, **kwargs)
                    candidate = plan
                    break
        if self._counts.get(key, 0) >= RECORD_LIMIT:
            return fn(*args, **kwargs)
        return self._record(key, candidate, args, kwargs)

    def _record(self, key, candidate, args, kwargs):
        reach = Reachable()
        if self._module is not None:
            reach.add(self._module)
            reach.add_function(type(self._module).forward)
        else:
            reach.add(self._fn)
        for a in list(args) + list(kwargs.values()):
            if not isinstance(a, Tensor):
                reach.add(a)
        self._counts[key] = self._counts.get(key, 0) + 1
        self.recordings += 1
        result, plan = record(self._fn, args, kwargs, reach)
        plan.trusted = (plan.refused is None and candidate is not None
                        and candidate.signature == plan.signature)
        plans = self._cache.setdefault(key, [])
        if candidate is not None:
            plans.remove(candidate)
        plans.insert(0, plan)
        del plans[RECORD_LIMIT:]
        return result


def _key(args, kwargs):
    """What the recordings are filed under: grad mode and each argument's kind (a tensor's
    shape, dtype and requires_grad; a number's value); None for arguments the recorder does
    not take (then the call runs eagerly)."""
    if not args and not kwargs:
        return grad_enabled()
    parts = [grad_enabled()]
    for a in list(args) + [kwargs[k] for k in sorted(kwargs)]:
        if isinstance(a, Tensor):
            array = a._array
            parts.append((array.shape, array.dtype, a._requires_grad))
        elif a is None or type(a) in (int, float, bool, str):
            parts.append((type(a), a))
        elif callable(a) or hasattr(a, "parameters"):
            parts.append(id(a))
        else:
            return None
    if kwargs:
        parts.append(tuple(sorted(kwargs)))
    return tuple(parts)


_stance = ["default"]


def reset_all():
    for compiled in list(_ALL):
        compiled.reset()
