"""Recurrent cells: one time step of an RNN, LSTM or GRU (``RNNCell``, ``LSTMCell``,
``GRUCell``, their base ``RNNCellBase``).

A cell is what a recurrent layer repeats; with a cell the user writes the loop over time
(``for x_t in x: h = cell(x_t, h)``).  The step is built from ember's ordinary operations, so
its graph (and the ``grad_fn`` at the top of the result) is torch's: the gradient of every
step is that of its gates, by the chain rule.
"""
import math

from ..._ops.creation.filling import empty, zeros
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


class RNNCellBase(Module):
    r"""The base class of the cells: parameters ``weight_ih`` (chunks * H, input_size),
    ``weight_hh`` (chunks * H, H), ``bias_ih`` and ``bias_hh`` (chunks * H), all drawn from
    :math:`\mathcal{U}(-1/\sqrt{H}, 1/\sqrt{H})`."""

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(empty((num_chunks * hidden_size, input_size), device=device,
                                         dtype=dtype))
        self.weight_hh = Parameter(empty((num_chunks * hidden_size, hidden_size), device=device,
                                         dtype=dtype))
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, device=device, dtype=dtype))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self):
        """Draws every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _prepare(self, name, input, states):
        """Checks the dimensions, adds the batch dimension to unbatched input; returns the
        input, the states (zeros when not given) and whether the input was batched."""
        if input.dim() not in (1, 2):
            raise ValueError("{}: Expected input to be 1D or 2D, got {}D instead".format(
                name, input.dim()))
        for i, s in enumerate(states or ()):
            if s.dim() not in (1, 2):
                raise ValueError("{}: Expected {} to be 1D or 2D, got {}D instead".format(
                    name, "hx[{}]".format(i) if name == "LSTMCell" else "hidden", s.dim()))
        batched = input.dim() == 2
        if not batched:
            input = input.unsqueeze(0)
        if input.size(1) != self.input_size:
            raise RuntimeError("input has inconsistent input_size: got {} expected {}".format(
                input.size(1), self.input_size))
        if states is None:
            state = zeros(input.size(0), self.hidden_size, dtype=input.dtype)
            return input, None, batched, state
        states = [s if batched else s.unsqueeze(0) for s in states]
        for i, s in enumerate(states):
            if s.size(0) != input.size(0):
                raise RuntimeError("Input batch size {} doesn't match hidden{} batch size "
                                   "{}".format(input.size(0), i, s.size(0)))
            if s.size(1) != self.hidden_size:
                raise RuntimeError("hidden{} has inconsistent hidden_size: got {}, expected "
                                   "{}".format(i, s.size(1), self.hidden_size))
        return input, states, batched, None

    def _gates(self, input, h):
        return (F.linear(input, self.weight_ih, self.bias_ih)
                + F.linear(h, self.weight_hh, self.bias_hh))


class RNNCell(RNNCellBase):
    r""":math:`h' = \tanh(W_{ih} x + b_{ih} + W_{hh} h + b_{hh})` (or ReLU)."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device,
                         dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        input, states, batched, zero = self._prepare("RNNCell", input,
                                                     None if hx is None else [hx])
        h = zero if states is None else states[0]
        if self.nonlinearity == "tanh":
            out = self._gates(input, h).tanh()
        elif self.nonlinearity == "relu":
            out = self._gates(input, h).relu()
        else:
            raise RuntimeError("Unknown nonlinearity: {}".format(self.nonlinearity))
        return out if batched else out.squeeze(0)


class LSTMCell(RNNCellBase):
    r"""One LSTM step: :math:`c' = f c + i g`, :math:`h' = o \tanh(c')`; returns
    ``(h', c')``."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device,
                         dtype=dtype)

    def forward(self, input, hx=None):
        input, states, batched, zero = self._prepare("LSTMCell", input, hx)
        h, c = (zero, zero) if states is None else states
        i, f, g, o = self._gates(input, h).chunk(4, 1)
        c = f.sigmoid() * c + i.sigmoid() * g.tanh()
        h = o.sigmoid() * c.tanh()
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    r"""One GRU step: :math:`r, z = \sigma(\cdot)`, :math:`n = \tanh(W_{in} x + b_{in} +
    r (W_{hn} h + b_{hn}))`, :math:`h' = n + z (h - n)`."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device,
                         dtype=dtype)

    def forward(self, input, hx=None):
        input, states, batched, zero = self._prepare("GRUCell", input,
                                                     None if hx is None else [hx])
        h = zero if states is None else states[0]
        i_r, i_z, i_n = F.linear(input, self.weight_ih, self.bias_ih).chunk(3, 1)
        h_r, h_z, h_n = F.linear(h, self.weight_hh, self.bias_hh).chunk(3, 1)
        r = (i_r + h_r).sigmoid()
        z = (i_z + h_z).sigmoid()
        n = (i_n + r * h_n).tanh()
        out = n + z * (h - n)
        return out if batched else out.squeeze(0)
