"""The timing wrappers: put on ember's classes while a profiler runs, taken off when it stops.

Ordinary code pays nothing for the profiler, not even a check: ``Op.apply`` (every built-in
operation's forward), ``Function.apply`` (custom functions), the ``apply`` of graph nodes
(backward) and the optimizers' ``step`` and ``zero_grad`` are replaced by timed versions in
``install`` and given back in ``uninstall``.
"""
import re

__all__ = ["install", "uninstall"]

_replaced = []          # (class, attribute name, the original attribute from its __dict__)


def install(recorder):
    from ember.autograd.function import BackwardCFunction, Function
    from ember.autograd.graph import AccumulateGrad
    from ember.autograd.op import Op, OpBackward

    for cls in (Op, Function):
        _replace(cls, "apply", classmethod(_timed_forward(recorder, cls.__dict__["apply"].__func__)))
    for cls in (OpBackward, BackwardCFunction, AccumulateGrad):
        _replace(cls, "apply", _timed_backward(recorder, cls.__dict__["apply"]))
    # the engine adds a leaf's gradient through ``accumulate`` (``apply`` takes a lock first)
    _replace(AccumulateGrad, "accumulate",
             _timed_backward(recorder, AccumulateGrad.__dict__["accumulate"]))
    from ember.optim import Optimizer
    for cls in _subclasses(Optimizer):
        for name in ("step", "zero_grad"):
            if name in cls.__dict__:
                _replace(cls, name, _timed_method(recorder, cls.__dict__[name], name))


def uninstall():
    while _replaced:
        cls, name, original = _replaced.pop()
        setattr(cls, name, original)


def _replace(cls, name, wrapper):
    _replaced.append((cls, name, cls.__dict__[name]))
    setattr(cls, name, wrapper)


def _subclasses(cls):
    found = [cls]
    for sub in cls.__subclasses__():
        found += _subclasses(sub)
    return found


def _op_name(cls):
    """``ember::mse_loss`` for the op class ``MseLoss`` (as torch says ``aten::mse_loss``)."""
    return "ember::" + re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


def _timed_forward(recorder, apply):
    def timed(cls, *args, **kwargs):
        event = recorder.begin(_op_name(cls))
        try:
            return apply(cls, *args, **kwargs)
        finally:
            recorder.end(event)
    return timed


def _timed_backward(recorder, apply):
    def timed(self, *grads):
        event = recorder.begin(type(self).__name__)
        try:
            return apply(self, *grads)
        finally:
            recorder.end(event)
    return timed


def _timed_method(recorder, method, name):
    def timed(self, *args, **kwargs):
        event = recorder.begin("Optimizer.{0}#{1}.{0}".format(name, type(self).__name__))
        try:
            return method(self, *args, **kwargs)
        finally:
            recorder.end(event)
    return timed
