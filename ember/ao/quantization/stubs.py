"""``QuantStub`` and ``DeQuantStub``: markers in a float model for where quantization starts and
ends.  They do nothing until ``convert`` turns them into ``Quantize`` and ``DeQuantize``."""
from ...nn.modules.module import Module

__all__ = ["QuantStub", "DeQuantStub", "QuantWrapper"]


class QuantStub(Module):
    """Identity in the float model; after ``prepare`` an observer watches what passes, and
    ``convert`` makes it a ``Quantize`` with the parameters that observer chose."""

    def __init__(self, qconfig=None):
        super().__init__()
        if qconfig:
            self.qconfig = qconfig

    def forward(self, x):
        return x


class DeQuantStub(Module):
    """Identity in the float model; ``convert`` makes it a ``DeQuantize``."""

    def __init__(self, qconfig=None):
        super().__init__()
        if qconfig:
            self.qconfig = qconfig

    def forward(self, x):
        return x


class QuantWrapper(Module):
    """``module`` with a ``QuantStub`` before and a ``DeQuantStub`` after it."""

    def __init__(self, module):
        super().__init__()
        qconfig = getattr(module, "qconfig", None)
        self.add_module("quant", QuantStub(qconfig))
        self.add_module("dequant", DeQuantStub(qconfig))
        self.add_module("module", module)
        self.train(module.training)

    def forward(self, X):
        return self.dequant(self.module(self.quant(X)))
