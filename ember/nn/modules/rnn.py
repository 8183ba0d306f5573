"""Recurrent layers: ``RNN``, ``LSTM`` and ``GRU`` (their common base ``RNNBase``).

A recurrent layer reads a sequence one step at a time and carries a hidden state from step to
step: h_t = cell(x_t, h_{t-1}).  ``num_layers`` stacks layers (each reads the outputs of the one
below, with ``dropout`` in between while training); ``bidirectional`` adds a second layer that
reads the sequence backwards, and concatenates both outputs.  The input is (T, B, input_size),
(B, T, input_size) with ``batch_first``, (T, input_size) unbatched, or a ``PackedSequence``.

Each layer and direction is one autograd node (``functional/recurrent.py``), whose backward pass
runs backpropagation through time.  The parameters are named, shaped, ordered and initialised as
torch's, so state dicts move between the two.
"""
import math
import numbers
import warnings

from ..._dtype import float32
from ..._ops.creation.filling import empty, zeros
from ..._ops.shape.joining import cat, stack
from .. import init
from ..functional import dropout as _dropout
from ..functional.recurrent import BatchFirst, LSTMLayer, PackedLayer, RecurrentLayer
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


def _type_name(value):
    return type(value).__name__


class RNNBase(Module):
    r"""The base class of ``RNN``, ``LSTM`` and ``GRU``: the arguments, the parameters
    (``weight_ih_l{k}``, ``weight_hh_l{k}``, ``bias_ih_l{k}``, ``bias_hh_l{k}``,
    ``weight_hr_l{k}`` with projections, ``_reverse`` for the backward direction), their
    initialisation :math:`\mathcal{U}(-1/\sqrt{H}, 1/\sqrt{H})`, the input checks and the
    stacked, bidirectional run."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        _check_arguments(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         proj_size)
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size = _GATES[mode] * hidden_size
        directions = 2 if bidirectional else 1
        real_hidden = proj_size if proj_size > 0 else hidden_size
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else real_hidden * directions
            for direction in range(directions):
                suffix = "_reverse" if direction == 1 else ""
                shapes = [("weight_ih_l{}{}", (gate_size, layer_input)),
                          ("weight_hh_l{}{}", (gate_size, real_hidden))]
                if bias:
                    shapes += [("bias_ih_l{}{}", (gate_size,)), ("bias_hh_l{}{}", (gate_size,))]
                if proj_size > 0:
                    shapes.append(("weight_hr_l{}{}", (proj_size, hidden_size)))
                names = []
                for name, shape in shapes:
                    name = name.format(layer, suffix)
                    setattr(self, name, Parameter(empty(shape, device=device, dtype=dtype)))
                    names.append(name)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def _flat_weights(self):
        return [getattr(self, name, None) for name in self._flat_weights_names]

    @property
    def all_weights(self):
        """The parameters, one list per layer and direction."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def flatten_parameters(self):
        """Accepted for compatibility: it packs weights for cuDNN, a no-op on the CPU."""

    def reset_parameters(self):
        """Draws every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), in
        registration order."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def check_input(self, input, batch_sizes):
        weight_dtype = self._flat_weights[0].dtype
        if input.dtype != weight_dtype:
            raise ValueError(
                "RNN input dtype ({}) does not match weight dtype ({}). Convert input: "
                "input.to({}), or convert model: model.to({})".format(
                    input.dtype, weight_dtype, weight_dtype, input.dtype))
        expected = 2 if batch_sizes is not None else 3
        if input.dim() != expected:
            raise RuntimeError("input must have {} dimensions, got {}".format(expected,
                                                                              input.dim()))
        if self.input_size != input.size(-1):
            raise RuntimeError("input.size(-1) must be equal to input_size. Expected {}, got "
                               "{}".format(self.input_size, input.size(-1)))

    def get_expected_hidden_size(self, input, batch_sizes):
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        directions = 2 if self.bidirectional else 1
        size = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * directions, mini_batch, size)

    def check_hidden_size(self, hx, expected_hidden_size,
                          msg="Expected hidden size {}, got {}"):
        if tuple(hx.size()) != expected_hidden_size:
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.size())))

    def check_forward_args(self, input, hidden, batch_sizes):
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx, permutation):
        if permutation is None:
            return hx
        return hx.index_select(1, permutation)

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    # ------------------------------------------------------------------ running

    def _zeros(self, input, batch, size):
        directions = 2 if self.bidirectional else 1
        return zeros(self.num_layers * directions, batch, size, dtype=input.dtype)

    def _layers(self, x, hx, cx, batch_sizes):
        """Runs the stacked layers on ``x`` (time-major (T, B, I), or packed (N, I)); returns
        the last layer's output and the final states (stacked as ``hx``)."""
        directions = 2 if self.bidirectional else 1
        per_layer = len(self._all_weights[0])
        weights = self._flat_weights
        lstm, proj = self.mode == "LSTM", self.proj_size > 0
        op = (PackedLayer if batch_sizes is not None
              else LSTMLayer if lstm and not proj and x.dtype == float32 else RecurrentLayer)
        sizes = None if batch_sizes is None else [int(b) for b in batch_sizes._array]
        hs, cs = [], []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                k = layer * directions + direction
                w = weights[k * per_layer:(k + 1) * per_layer]
                w_ih, w_hh = w[0], w[1]
                b_ih, b_hh = (w[2], w[3]) if self.bias else (None, None)
                w_hr = w[-1] if proj else None
                result = op.apply(x, hx[k], cx[k] if lstm else None, w_ih, w_hh, b_ih, b_hh,
                                  w_hr, self.mode, direction == 1, sizes)
                outputs.append(result[0])
                hs.append(result[1])
                if lstm:
                    cs.append(result[2])
            x = outputs[0] if directions == 1 else cat(outputs, -1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = _dropout.dropout(x, self.dropout, True)
        return x, stack(hs), stack(cs) if lstm else None

    def _run(self, input, hx, name):
        """The shared forward: unpacks or checks the input, runs the layers and shapes the
        results as torch does.  ``hx`` is a tensor, or a (h, c) pair for the LSTM."""
        lstm = self.mode == "LSTM"
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        if isinstance(input, PackedSequence):
            data, batch_sizes, sorted_indices, unsorted_indices = input
            batch = int(batch_sizes._array[0])
            if hx is None:
                hx = self._zeros(data, batch, real_hidden)
                if lstm:
                    hx = (hx, self._zeros(data, batch, self.hidden_size))
            else:
                hx = self._permute(hx, sorted_indices)
            self._check_states(data, hx, batch_sizes)
            y, h, c = self._layers(data, *self._split(hx), batch_sizes)
            states = (h, c) if lstm else h
            return (PackedSequence(y, batch_sizes, sorted_indices, unsorted_indices),
                    self._permute(states, unsorted_indices))
        if input.dim() not in (2, 3):
            raise ValueError("{}: Expected input to be 2D or 3D, got {}D {}".format(
                name, input.dim(), "tensor instead" if name == "RNN" else "instead"))
        batched = input.dim() == 3
        batch_dim = 0 if self.batch_first else 1
        if not batched:
            input = input.unsqueeze(batch_dim)
        hx = self._check_state_dims(hx, batched)
        batch = input.size(batch_dim)
        if hx is None:
            hx = self._zeros(input, batch, real_hidden)
            if lstm:
                hx = (hx, self._zeros(input, batch, self.hidden_size))
        self._check_states(input, hx, None)
        x = input.transpose(0, 1) if self.batch_first else input
        y, h, c = self._layers(x, *self._split(hx), None)
        if self.batch_first:
            y = y.transpose(0, 1) if lstm else BatchFirst.apply(y)
        if not batched:
            y, h = y.squeeze(batch_dim), h.squeeze(1)
            c = c.squeeze(1) if lstm else None
        return y, ((h, c) if lstm else h)

    def _split(self, hx):
        return tuple(hx) if self.mode == "LSTM" else (hx, None)

    def _permute(self, hx, permutation):
        if self.mode == "LSTM":
            return tuple(RNNBase.permute_hidden(self, h, permutation) for h in hx)
        return self.permute_hidden(hx, permutation)

    def _check_state_dims(self, hx, batched):
        """Checks the dimensions of given states; unbatched ones get their batch dimension."""
        if hx is None:
            return None
        if self.mode == "LSTM":
            dims = (hx[0].dim(), hx[1].dim())
            if batched and dims != (3, 3):
                raise RuntimeError("For batched 3-D input, hx and cx should also be 3-D but got "
                                   "({}-D, {}-D) tensors".format(*dims))
            if not batched and dims != (2, 2):
                raise RuntimeError("For unbatched 2-D input, hx and cx should also be 2-D but "
                                   "got ({}-D, {}-D) tensors".format(*dims))
            return hx if batched else (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
        if batched and hx.dim() != 3:
            raise RuntimeError("For batched 3-D input, hx should also be 3-D but got {}-D "
                               "tensor".format(hx.dim()))
        if not batched and hx.dim() != 2:
            raise RuntimeError("For unbatched 2-D input, hx should also be 2-D but got {}-D "
                               "tensor".format(hx.dim()))
        return hx if batched else hx.unsqueeze(1)

    def _check_states(self, input, hx, batch_sizes):
        if self.mode != "LSTM":
            self.check_forward_args(input, hx, batch_sizes)
            return
        self.check_input(input, batch_sizes)
        expected = self.get_expected_hidden_size(input, batch_sizes)
        self.check_hidden_size(hx[0], expected, "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hx[1], expected[:2] + (self.hidden_size,),
                               "Expected hidden[1] size {}, got {}")


def _check_arguments(input_size, hidden_size, num_layers, bias, batch_first, dropout, proj_size):
    """torch's checks of the constructor's arguments, in its order."""
    if (not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1
            or isinstance(dropout, bool)):
        raise ValueError("dropout should be a number in range [0, 1] representing the "
                         "probability of an element being zeroed")
    if dropout > 0 and num_layers == 1:
        warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                      "non-zero dropout expects num_layers greater than 1, but got dropout={} "
                      "and num_layers={}".format(dropout, num_layers), stacklevel=4)
    if not isinstance(bias, bool):
        raise TypeError("bias should be of type bool, got: " + _type_name(bias))
    if not isinstance(batch_first, bool):
        raise TypeError("batch_first should be of type bool, got: " + _type_name(batch_first))
    if not isinstance(input_size, int):
        raise TypeError("input_size should be of type int, got: " + _type_name(input_size))
    if input_size <= 0:
        raise ValueError("input_size must be greater than zero")
    if not isinstance(hidden_size, int):
        raise TypeError("hidden_size should be of type int, got: " + _type_name(hidden_size))
    if hidden_size <= 0:
        raise ValueError("hidden_size must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")
    if proj_size < 0:
        raise ValueError("proj_size should be a positive integer or zero to disable projections")
    if proj_size >= hidden_size:
        raise ValueError("proj_size has to be smaller than hidden_size")


class RNN(RNNBase):
    r"""An Elman RNN: :math:`h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})`
    (``nonlinearity='relu'`` for ReLU).

    Args: input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True,
    batch_first=False, dropout=0.0, bidirectional=False.
    Returns ``(output, h_n)``: output (T, B, D*H) (or batch first), h_n (D*num_layers, B, H).
    """

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError("Unknown nonlinearity '{}'. Select from 'tanh' or 'relu'.".format(
                self.nonlinearity))
        super().__init__(mode, *args, **kwargs)

    def forward(self, input, hx=None):
        return self._run(input, hx, "RNN")


class LSTM(RNNBase):
    r"""Long short-term memory: gates :math:`i, f, o = \sigma(\cdot)`, :math:`g = \tanh(\cdot)`
    of :math:`W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh}`; :math:`c_t = f c_{t-1} + i g`,
    :math:`h_t = o \tanh(c_t)` (times ``weight_hr`` with ``proj_size > 0``).

    Returns ``(output, (h_n, c_n))``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def get_expected_cell_size(self, input, batch_sizes):
        expected = self.get_expected_hidden_size(input, batch_sizes)
        return expected[:2] + (self.hidden_size,)

    def forward(self, input, hx=None):
        return self._run(input, hx, "LSTM")


class GRU(RNNBase):
    r"""Gated recurrent unit: :math:`r, z = \sigma(\cdot)`,
    :math:`n = \tanh(W_{in} x_t + b_{in} + r (W_{hn} h_{t-1} + b_{hn}))`,
    :math:`h_t = (1 - z) n + z h_{t-1}`.

    Returns ``(output, h_n)``.
    """

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input, hx=None):
        return self._run(input, hx, "GRU")
