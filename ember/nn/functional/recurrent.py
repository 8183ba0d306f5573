"""One recurrent layer in one direction over a whole sequence, as a single autograd Op.

A recurrent layer repeats the same small computation at every time step.  Written with ember's
ordinary operations it would record dozens of graph nodes per step; here the whole sequence is
one ``Op`` whose forward loops over the steps in NumPy and whose backward runs the loop
backwards (backpropagation through time), so the graph gets one node per layer and direction.

The sequence arrives *packed*: ``x`` is (N, input_size), the rows of all time steps one after
the other, and ``batch_sizes[t]`` says how many sequences are still running at step t (sorted
longest first, so those are the first ``batch_sizes[t]`` rows of the state).  A padded
(T, B, input_size) input is the special case where every step has B rows.

Speed: the input projections of all steps are one matrix product before the loop, and the
weight gradients are one product each after the backward loop; each step does one product with
``weight_hh`` and a few fused elementwise calls.  A sigmoid is computed as
``0.5 * tanh(0.5 * x) + 0.5``, with the 0.5 folded into the weights, so that all gates of a step
take a single ``np.tanh`` call.

Gates (torch's order and formulas):

* RNN:  h' = tanh(W_ih x + b_ih + W_hh h + b_hh)   (or relu)
* LSTM: i, f, g, o = sigma, sigma, tanh, sigma of (W_ih x + b_ih + W_hh h + b_hh);
  c' = f c + i g;  h' = o tanh(c')  (then h' = W_hr h' with a projection)
* GRU:  r, z = sigma(W_ih x + b_ih + W_hh h + b_hh) on their rows;
  n = tanh(W_in x + b_in + r (W_hn h + b_hn));  h' = (1 - z) n + z h
"""
import numpy as np

from ...autograd.op import Op


def _spans(batch_sizes, n_rows, batch):
    """The (first row, rows) of every time step in the packed layout."""
    if batch_sizes is None:
        return [(s, batch) for s in range(0, n_rows, batch)]
    spans, start = [], 0
    for b in batch_sizes:
        spans.append((start, b))
        start += b
    return spans


def _gate_scale(mode, hidden, dtype):
    """The factor of each gate row: 0.5 for sigmoid gates (sigma(x) = 0.5 tanh(0.5 x) + 0.5),
    1 for tanh gates; None for the plain RNN."""
    if mode == "LSTM":
        scale = np.full(4 * hidden, 0.5, dtype)
        scale[2 * hidden:3 * hidden] = 1
        return scale
    if mode == "GRU":
        scale = np.full(3 * hidden, 0.5, dtype)
        scale[2 * hidden:] = 1
        return scale
    return None


class RecurrentLayer(Op):
    """A whole recurrent layer in one direction: (x, h0[, c0], weights) -> (y, h_n[, c_n]).

    Backward runs the steps in reverse: at each step the gradient reaching the hidden state
    (from the output and from the next step) is pushed through the gate formulas to the
    pre-activations; those give the gradient of the previous state, and, summed over all steps
    with one matrix product each, the gradients of the weights and of the input.
    """

    node_name = "StackBackward0"      # torch's CPU kernel ends each layer by stacking its steps

    @staticmethod
    def forward(ctx, x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr, mode, reverse, batch_sizes):
        shape = x.shape
        x2 = x.reshape(-1, shape[-1])
        n_rows = x2.shape[0]
        batch = h0.shape[0]
        spans = _spans(batch_sizes, n_rows, batch)
        if reverse:
            spans = spans[::-1]
        gates = w_ih.shape[0]
        hidden = w_hh.shape[0] // (4 if mode == "LSTM" else 3 if mode == "GRU" else 1)
        scale = _gate_scale(mode, hidden, x.dtype)
        w_ih_s = w_ih if scale is None else w_ih * scale[:, None]
        pre = x2.dot(w_ih_s.T)                                  # all input projections at once
        if b_ih is not None:
            if mode == "GRU":
                bias = b_ih.copy()
                bias[:2 * hidden] += b_hh[:2 * hidden]         # b_hn stays inside r * (...)
            else:
                bias = b_ih + b_hh
            pre += bias if scale is None else bias * scale
        h = h0.copy()
        h_prev = np.empty((n_rows, h0.shape[1]), x.dtype)
        ctx.mode, ctx.spans, ctx.shape = mode, spans, shape
        ctx.x2, ctx.h_prev, ctx.w = x2, h_prev, (w_ih, w_hh, w_hr)
        ctx.has_bias = b_ih is not None
        if mode == "LSTM":
            y = _lstm_forward(ctx, pre, h, c0.copy(), w_hh, w_hr, scale, spans, hidden)
            out = (y.reshape(shape[:-1] + (y.shape[1],)), h, ctx.c)
        elif mode == "GRU":
            y = _gru_forward(ctx, pre, h, w_hh, b_hh, scale, spans, hidden)
            out = (y.reshape(shape[:-1] + (hidden,)), h)
        else:
            w_hh_t = np.ascontiguousarray(w_hh.T)
            relu = mode == "RNN_RELU"
            for s, b in spans:
                hp = h[:b]
                h_prev[s:s + b] = hp
                a = pre[s:s + b]
                a += hp.dot(w_hh_t)
                if relu:
                    np.maximum(a, 0, out=a)
                else:
                    np.tanh(a, out=a)
                h[:b] = a
            ctx.y = pre
            out = (pre.reshape(shape[:-1] + (gates,)), h)
        return out

    @staticmethod
    def backward(ctx, grad_y, grad_h, grad_c=None):
        if not isinstance(grad_y, np.ndarray):
            raise RuntimeError("ember's recurrent layers do not support double backward "
                               "(create_graph=True through RNN, LSTM or GRU)")
        mode = ctx.mode
        gy = grad_y.reshape(-1, grad_y.shape[-1])
        dh = grad_h.copy()
        w_ih, w_hh, w_hr = ctx.w
        grad_w_hr = None
        if mode == "LSTM":
            dg, dh, dc, grad_w_hr = _lstm_backward(ctx, gy, dh, grad_c.copy(), w_hh, w_hr)
            dg_hh = dg
        elif mode == "GRU":
            dg, dg_hh, dh = _gru_backward(ctx, gy, dh, w_hh)
            dc = None
        else:
            dg = _rnn_backward(ctx, gy, dh, w_hh)
            dg_hh, dc = dg, None
        needs = ctx.needs_input_grad
        grad_x = dg.dot(w_ih).reshape(ctx.shape) if needs[0] else None
        grad_w_ih = dg.T.dot(ctx.x2)
        grad_w_hh = dg_hh.T.dot(ctx.h_prev)
        grad_b_ih = grad_b_hh = None
        if ctx.has_bias:
            grad_b_ih = np.add.reduce(dg, axis=0)
            grad_b_hh = grad_b_ih if dg_hh is dg else np.add.reduce(dg_hh, axis=0)
        return (grad_x, dh, dc, grad_w_ih, grad_w_hh, grad_b_ih, grad_b_hh, grad_w_hr,
                None, None, None)


class LSTMLayer(RecurrentLayer):
    """The float32 LSTM layer without projections: torch runs it with oneDNN."""

    node_name = "MkldnnRnnLayerBackward0"


def _lstm_forward(ctx, pre, h, c, w_hh, w_hr, scale, spans, hidden):
    """The LSTM steps; ``pre`` (N, 4H) becomes the gate activations i, f, g, o in place."""
    n_rows = pre.shape[0]
    dtype = pre.dtype
    w_hh_t = np.ascontiguousarray((w_hh * scale[:, None]).T)    # BLAS is faster on it
    shift = 1 - scale                     # sigma = 0.5 t + 0.5, tanh = 1 t + 0
    c_prev = np.empty((n_rows, hidden), dtype)
    cells = np.empty((n_rows, hidden), dtype)
    tanh_c = np.empty((n_rows, hidden), dtype)
    h_prev = ctx.h_prev
    proj = w_hr is not None
    y = np.empty((n_rows, h.shape[1]), dtype)
    h_pre = np.empty((n_rows, hidden), dtype) if proj else y
    w_hr_t = w_hr.T if proj else None
    H2, H3 = 2 * hidden, 3 * hidden
    for s, b in spans:
        e = s + b
        hp = h[:b]
        h_prev[s:e] = hp
        a = pre[s:e]
        a += hp.dot(w_hh_t)
        np.tanh(a, out=a)
        a *= scale
        a += shift
        cp = c[:b]
        c_prev[s:e] = cp
        cn = cells[s:e]
        np.multiply(a[:, hidden:H2], cp, out=cn)
        cn += a[:, :hidden] * a[:, H2:H3]
        c[:b] = cn
        tc = np.tanh(cn, out=tanh_c[s:e])
        hn = np.multiply(a[:, H3:], tc, out=h_pre[s:e])
        if proj:
            hn = np.dot(hn, w_hr_t, out=y[s:e])
        h[:b] = hn
    ctx.acts, ctx.c_prev, ctx.tanh_c, ctx.h_pre, ctx.c = pre, c_prev, tanh_c, h_pre, c
    return y


def _lstm_backward(ctx, gy, dh, dc, w_hh, w_hr):
    """Backpropagation through the LSTM steps: the gradients of the pre-activations (N, 4H),
    of h0 and c0, and of ``weight_hr``."""
    acts, c_prev, tanh_c = ctx.acts, ctx.c_prev, ctx.tanh_c
    hidden = tanh_c.shape[1]
    H2, H3 = 2 * hidden, 3 * hidden
    # the derivative of each activation w.r.t. its pre-activation, for all steps at once:
    # sigma' = s (1 - s), tanh' = 1 - t^2
    deriv = acts * (1 - acts)
    g = acts[:, H2:H3]
    np.subtract(1, g * g, out=deriv[:, H2:H3])
    # d tanh(c) / dc times o, for all steps
    dtc = acts[:, H3:] * (1 - tanh_c * tanh_c)
    dg = np.empty_like(acts)
    proj = w_hr is not None
    dh_out = np.empty_like(gy) if proj else None     # d(loss)/d(projected h) of every step
    for s, b in ctx.spans[::-1]:
        e = s + b
        d = dh[:b]
        d += gy[s:e]
        if proj:
            dh_out[s:e] = d
            d = d.dot(w_hr)
        dct = dc[:b]
        dct += d * dtc[s:e]
        a = acts[s:e]
        dgt = dg[s:e]
        np.multiply(dct, a[:, H2:H3], out=dgt[:, :hidden])
        np.multiply(dct, c_prev[s:e], out=dgt[:, hidden:H2])
        np.multiply(dct, a[:, :hidden], out=dgt[:, H2:H3])
        np.multiply(d, tanh_c[s:e], out=dgt[:, H3:])
        dgt *= deriv[s:e]
        dct *= a[:, hidden:H2]
        dh[:b] = dgt.dot(w_hh)
    # h_t = W_hr h_pre_t, so d(loss)/d(W_hr) sums d(loss)/d(h_t)^T h_pre_t over the steps
    grad_w_hr = dh_out.T.dot(ctx.h_pre) if proj else None
    return dg, dh, dc, grad_w_hr


def _gru_forward(ctx, pre, h, w_hh, b_hh, scale, spans, hidden):
    """The GRU steps; ``pre`` (N, 3H) becomes r, z, n in place."""
    n_rows = pre.shape[0]
    dtype = pre.dtype
    w_hh_t = np.ascontiguousarray((w_hh * scale[:, None]).T)
    b_n = None if b_hh is None else b_hh[2 * hidden:]
    hn_part = np.empty((n_rows, hidden), dtype)          # W_hn h + b_hn, kept for backward
    h_prev = ctx.h_prev
    y = np.empty((n_rows, hidden), dtype)
    H2 = 2 * hidden
    for s, b in spans:
        e = s + b
        hp = h[:b]
        h_prev[s:e] = hp
        a = pre[s:e]
        gh = hp.dot(w_hh_t)
        rz = a[:, :H2]
        rz += gh[:, :H2]
        np.tanh(rz, out=rz)
        rz *= 0.5
        rz += 0.5
        ghn = gh[:, H2:]
        if b_n is not None:
            ghn += b_n
        hn_part[s:e] = ghn
        n = a[:, H2:]
        n += rz[:, :hidden] * ghn
        np.tanh(n, out=n)
        # h' = n + z (h - n)
        hn = np.subtract(hp, n, out=y[s:e])
        hn *= rz[:, hidden:]
        hn += n
        h[:b] = hn
    ctx.acts, ctx.hn_part = pre, hn_part
    return y


def _gru_backward(ctx, gy, dh, w_hh):
    """Backpropagation through the GRU steps: the gradients of the input pre-activations,
    of the hidden pre-activations (which differ in the n rows: r multiplies them), and of h0."""
    acts, hn_part, h_prev = ctx.acts, ctx.hn_part, ctx.h_prev
    hidden = hn_part.shape[1]
    H2 = 2 * hidden
    deriv = acts * (1 - acts)
    n_all = acts[:, H2:]
    np.subtract(1, n_all * n_all, out=deriv[:, H2:])
    dgi = np.empty_like(acts)
    dgh = np.empty_like(acts)
    for s, b in ctx.spans[::-1]:
        e = s + b
        d = dh[:b]
        d += gy[s:e]
        a = acts[s:e]
        r, z, n = a[:, :hidden], a[:, hidden:H2], a[:, H2:]
        di = dgi[s:e]
        dn = np.multiply(d, 1 - z, out=di[:, H2:])
        dn *= deriv[s:e, H2:]                               # through tanh
        np.multiply(dn, hn_part[s:e], out=di[:, :hidden])   # dr
        np.multiply(d, h_prev[s:e] - n, out=di[:, hidden:H2])   # dz
        di[:, :H2] *= deriv[s:e, :H2]
        dhh = dgh[s:e]
        dhh[:, :H2] = di[:, :H2]
        np.multiply(dn, r, out=dhh[:, H2:])
        dh[:b] = d * z + dhh.dot(w_hh)
    return dgi, dgh, dh


def _rnn_backward(ctx, gy, dh, w_hh):
    """Backpropagation through the plain RNN steps: the gradients of the pre-activations."""
    y = ctx.y
    if ctx.mode == "RNN_RELU":
        deriv = (y > 0).astype(y.dtype)
    else:
        deriv = 1 - y * y
    dg = np.empty_like(y)
    for s, b in ctx.spans[::-1]:
        e = s + b
        d = dh[:b]
        d += gy[s:e]
        dgt = np.multiply(d, deriv[s:e], out=dg[s:e])
        dh[:b] = dgt.dot(w_hh)
    return dg


class PackedLayer(RecurrentLayer):
    """A layer run on a packed batch: torch's kernel ends it by concatenating its steps."""

    node_name = "CatBackward0"


class BatchFirst(Op):
    """out = the (T, B, ...) output of a recurrent network swapped to (B, T, ...).  The
    gradient swaps back.  torch swaps RNN and GRU outputs in place (``transpose_``)."""

    node_name = "TransposeBackward1"
    exact_grads = True

    @staticmethod
    def forward(ctx, y):
        return y.swapaxes(0, 1)

    @staticmethod
    def backward(ctx, grad):
        return grad.swapaxes(0, 1)
