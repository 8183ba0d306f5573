"""``nn.quantized.dynamic.LSTM``: an LSTM with int8 weights and float activations.

Each of the eight weight matrices of a layer direction is quantized once, per tensor, to qint8.
A forward pass then runs as torch's CPU kernel does: the input projection of the whole sequence
is one dynamically quantized product (``W_ih x_t + b_ih`` for every t, the input quantized with
parameters chosen for its range); at each step the recurrent projection ``W_hh h + b_hh`` is
another, with parameters chosen for that step's ``h``; the gates, ``c`` and ``h`` are computed in
float32 as in ``nn.LSTM``:

    i, f, g, o = sigmoid, sigmoid, tanh, sigmoid of (input projection + recurrent projection)
    c = f * c + i * g,    h = o * tanh(c)

There is no autograd: a dynamically quantized model is for inference.
"""
import numpy as np

from ..... import _quantized as _q
from ....._tensor import Tensor
from .....nn.modules.container import ModuleList
from .....nn.modules.module import Module
from .....nn.modules.rnn import RNNBase as _FloatRNNBase
from .....nn.utils.rnn import PackedSequence
from ..modules.linear import LinearPackedParams
from ..modules.utils import quantize_weight
from .linear import linear_dynamic

__all__ = ["PackedParameter", "LSTM"]


class PackedParameter(Module):
    """One layer direction's weights: the input and the recurrent projection, each a qint8
    weight with its float bias.  Saved as ``param``: ``(w_ih, w_hh, b_ih, b_hh)``."""

    def __init__(self, w_ih, w_hh, b_ih, b_hh):
        super().__init__()
        # plain attributes, not child modules: ``param`` is the one entry of the state dict
        object.__setattr__(self, "ih", LinearPackedParams())
        object.__setattr__(self, "hh", LinearPackedParams())
        self.ih.set_weight_bias(w_ih, b_ih)
        self.hh.set_weight_bias(w_hh, b_hh)

    @property
    def param(self):
        return self.ih.weight, self.hh.weight, self.ih.bias, self.hh.bias

    def __repr__(self):
        return "PackedParameter()"

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        destination[prefix + "param"] = self.param

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        key = prefix + "param"
        if key not in state_dict:
            missing_keys.append(key)
            return
        value = state_dict[key]
        if not (isinstance(value, tuple) and len(value) == 4
                and all(isinstance(w, _q.QTensor) for w in value[:2])):
            error_msgs.append(
                "While copying the parameter named \"{}\": expected ember's (w_ih, w_hh, b_ih, "
                "b_hh) of quantized weights and float biases, got {}. (torch saves its packed "
                "weights as TorchScript objects, which ember does not load: quantize the float "
                "model in ember instead.)".format(key, type(value).__name__))
            return
        w_ih, w_hh, b_ih, b_hh = value
        self.ih.set_weight_bias(w_ih, b_ih)
        self.hh.set_weight_bias(w_hh, b_hh)


class LSTM(Module):
    """A dynamically quantized LSTM (see the module docstring); ``from_float`` makes one from
    an ``nn.LSTM``.  Takes and returns what ``nn.LSTM`` does: ``(output, (h_n, c_n))``."""

    _version = 2

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, dtype=_q.qint8):
        super().__init__()
        if dtype is not _q.qint8:
            raise ValueError("ember's dynamic quantized LSTM supports dtype=torch.qint8 only, "
                             "got {}".format(dtype))
        self.mode = "LSTM"
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, float(dropout)
        self.bidirectional, self.dtype, self.version = bidirectional, dtype, 2
        self.proj_size = 0
        self.training = False                 # torch's quantized RNNs start in eval mode
        directions = 2 if bidirectional else 1
        packed = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else hidden_size * directions
            for _ in range(directions):
                w_ih = _zero_weight(4 * hidden_size, layer_input)
                w_hh = _zero_weight(4 * hidden_size, hidden_size)
                b = Tensor._make(np.zeros(4 * hidden_size, np.float32)) if bias else None
                packed.append(PackedParameter(w_ih, w_hh, b, None if b is None else b.clone()))
        self._all_weight_values = ModuleList(packed)

    def _get_name(self):
        return "DynamicQuantizedLSTM"

    def __repr__(self):
        return "{}({})".format(self._get_name(), self.extra_repr())

    # the float LSTM's argument checks, state shaping and representation, reused as they are
    extra_repr = _FloatRNNBase.extra_repr
    get_expected_hidden_size = _FloatRNNBase.get_expected_hidden_size
    check_hidden_size = _FloatRNNBase.check_hidden_size
    _check_states = _FloatRNNBase._check_states

    def check_input(self, input, batch_sizes):
        """torch's checks of the input's dimensions and size (the dtype is checked before)."""
        expected = 2 if batch_sizes is not None else 3
        if input.dim() != expected:
            raise RuntimeError("input must have {} dimensions, got {}".format(expected,
                                                                              input.dim()))
        if self.input_size != input.size(-1):
            raise RuntimeError("input.size(-1) must be equal to input_size. Expected {}, got "
                               "{}".format(self.input_size, input.size(-1)))

    def _names(self):
        suffixes = ["", "_reverse"][:2 if self.bidirectional else 1]
        return [(layer, s) for layer in range(self.num_layers) for s in suffixes]

    def get_weight(self):
        """{'weight_ih_l0': qint8 tensor, 'weight_hh_l0': ..., ...}."""
        result = {}
        for (layer, s), p in zip(self._names(), self._all_weight_values):
            result["weight_ih_l{}{}".format(layer, s)] = p.ih.weight
            result["weight_hh_l{}{}".format(layer, s)] = p.hh.weight
        return result

    def get_bias(self):
        """{'bias_ih_l0': float tensor, 'bias_hh_l0': ..., ...} (None without biases)."""
        result = {}
        for (layer, s), p in zip(self._names(), self._all_weight_values):
            result["bias_ih_l{}{}".format(layer, s)] = p.ih.bias
            result["bias_hh_l{}{}".format(layer, s)] = p.hh.bias
        return result

    def forward(self, input, hx=None):
        """``(output, (h_n, c_n))`` for a batched input (T, B, I), or (B, T, I) with
        ``batch_first``; the states default to zeros."""
        if isinstance(input, PackedSequence):
            raise NotImplementedError("ember's dynamic quantized LSTM takes padded tensors, not "
                                      "a PackedSequence")
        batch = input.size(0 if self.batch_first else 1)
        if hx is None:
            directions = 2 if self.bidirectional else 1
            zeros = np.zeros((self.num_layers * directions, batch, self.hidden_size), np.float32)
            hx = (Tensor._make(zeros), Tensor._make(zeros.copy()))
        self._check_states(input, hx, None)
        if input._array.dtype != np.float32:
            raise RuntimeError("expected scalar type Float but found " + input.dtype.scalar_name)
        x = input.transpose(0, 1) if self.batch_first else input
        y, h, c = self._layers(x, hx[0], hx[1])
        return (y.transpose(0, 1) if self.batch_first else y), (h, c)

    def _layers(self, x, hx, cx):
        """The stacked layers on time-major ``x`` (T, B, I): the last layer's output and the
        final states."""
        directions = 2 if self.bidirectional else 1
        seq = x._array
        hs, cs = [], []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                k = layer * directions + direction
                y, h, c = _run_direction(seq, hx._array[k], cx._array[k],
                                         self._all_weight_values[k], direction == 1)
                outputs.append(y)
                hs.append(h)
                cs.append(c)
            seq = outputs[0] if directions == 1 else np.concatenate(outputs, -1)
        return Tensor._make(seq), Tensor._make(np.stack(hs)), Tensor._make(np.stack(cs))

    @classmethod
    def from_float(cls, mod, use_precomputed_fake_quant=False):
        """The dynamically quantized twin of a float ``nn.LSTM``: each weight quantized per
        tensor with the qconfig's weight observer (default: symmetric qint8)."""
        if not mod.bias:
            raise AssertionError("mod.bias must be True")
        if mod.proj_size:
            raise NotImplementedError("ember's dynamic quantized LSTM has no proj_size")
        from ....quantization.qconfig import default_dynamic_qconfig
        qconfig = getattr(mod, "qconfig", None) or default_dynamic_qconfig
        q = cls(mod.input_size, mod.hidden_size, mod.num_layers, mod.bias, mod.batch_first,
                mod.dropout, mod.bidirectional)
        packed = []
        for names in mod._all_weights:
            weights = [getattr(mod, n) for n in names]
            w_ih, w_hh = (_quantized(w, qconfig) for w in weights[:2])
            b_ih, b_hh = (weights[2].detach(), weights[3].detach()) if mod.bias else (None, None)
            packed.append(PackedParameter(w_ih, w_hh, b_ih, b_hh))
        q._all_weight_values = ModuleList(packed)
        return q


def _zero_weight(rows, cols):
    return _q.quantize_per_tensor(Tensor._make(np.zeros((rows, cols), np.float32)), 1.0, 0,
                                  _q.qint8)


def _quantized(weight, qconfig):
    observer = qconfig.weight()
    observer(weight)
    return quantize_weight(weight, observer)


def _sigmoid(z):
    return np.float32(1) / (np.float32(1) + np.exp(-z))


def _run_direction(seq, h, c, params, reverse):
    """One direction of one layer over ``seq`` (T, B, I): (outputs (T, B, H), h, c)."""
    steps, batch = seq.shape[:2]
    gates_in = linear_dynamic(seq.reshape(steps * batch, -1), params.ih).reshape(steps, batch, -1)
    out = np.empty((steps, batch, h.shape[-1]), np.float32)
    for t in (range(steps - 1, -1, -1) if reverse else range(steps)):
        gates = gates_in[t] + linear_dynamic(h, params.hh)
        i, f, g, o = np.split(gates, 4, axis=-1)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        out[t] = h
    return out, h, c
