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
take a single ``np.tanh`` call.  The states live in one array ``hs`` (and ``cs``): the initial
state in the first B rows, then the state after each step in the rows of that step, so a step
reads its previous state as a slice without copying, and backward gathers the gradient of each
state in the same layout.

Gates (torch's order and formulas):

* RNN:  h' = tanh(W_ih x + b_ih + W_hh h + b_hh)   (or relu)
* LSTM: i, f, g, o = sigma, sigma, tanh, sigma of (W_ih x + b_ih + W_hh h + b_hh);
  c' = f c + i g;  h' = o tanh(c')  (then h' = W_hr h' with a projection)
* GRU:  r, z = sigma(W_ih x + b_ih + W_hh h + b_hh) on their rows;
  n = tanh(W_in x + b_in + r (W_hn h + b_hn));  h' = (1 - z) n + z h
"""
import weakref

import numpy as np

from ...autograd.op import Op
from .recurrent_double import recorded_backward


class _Buffers:
    """Work arrays reused from one call to the next.

    A fresh large array costs a page fault per 4 KiB page the first time it is written, which
    is more than the arithmetic done in it here.  The layer's work arrays are taken from this
    pool and given back when nothing needs them any more: backward's temporaries at its end,
    the forward's saved activations when their graph node is freed.  (The output ``y`` and the
    final states are never pooled: the user holds them.)"""

    KEEP = 8                            # arrays kept per (shape, dtype)

    def __init__(self):
        self.free = {}

    def take(self, shape, dtype):
        stack = self.free.get((shape, dtype))
        return stack.pop() if stack else np.empty(shape, dtype)

    def give(self, *arrays):
        for a in arrays:
            if a is not None:
                stack = self.free.setdefault((a.shape, a.dtype), [])
                if len(stack) < self.KEEP:
                    stack.append(a)

    def give_when_freed(self, owner, *arrays):
        weakref.finalize(owner, self.give, *arrays)


_BUFFERS = _Buffers()



class _Steps:
    """Where each time step's rows are, in the order the direction processes them.

    ``steps`` holds (start, rows, prev_start, prev_rows) per step: the step's rows in the packed
    data, and where its previous state is in the state array -- ``prev_rows`` rows from
    ``prev_start`` (the previous step's rows, or the initial state's at 0), followed, when the
    batch grows (packed input read backwards), by the initial states of the sequences that
    start here (state rows ``prev_rows:rows``)."""

    def __init__(self, batch_sizes, n_rows, batch, reverse):
        if batch_sizes is None:
            spans = [(s, batch) for s in range(0, n_rows, batch)]
        else:
            spans, start = [], 0
            for b in batch_sizes:
                spans.append((start, b))
                start += b
        if reverse:
            spans = spans[::-1]
        steps, prev_start, prev_rows = [], 0, batch
        for s, b in spans:
            steps.append((s, b, prev_start, min(b, prev_rows)))
            prev_start, prev_rows = batch + s, b
        self.steps, self.batch, self.n_rows = steps, batch, n_rows
        self.uniform = batch_sizes is None

    def previous(self, states, s, b, ps, pc):
        """The previous state of a step's rows (a view unless the batch grew)."""
        if pc == b:
            return states[ps:ps + b]
        return np.concatenate((states[ps:ps + pc], states[pc:b]))

    def scatter(self, grads, g, b, ps, pc):
        """Adds a step's gradient of its previous state where that state lives."""
        grads[ps:ps + pc] += g[:pc] if pc < b else g
        if pc < b:
            grads[pc:b] += g[pc:]

    def gather_previous(self, states):
        """The previous state of every row, aligned with the data rows (for the weight
        gradients)."""
        if self.uniform and self.steps[0][0] == 0:      # forward: row r's state is row r
            return states[:self.n_rows]
        index = np.empty(self.n_rows, np.intp)
        for s, b, ps, pc in self.steps:
            index[s:s + pc] = np.arange(ps, ps + pc)
            index[s + pc:s + b] = np.arange(pc, b)
        return states[index]

    def final(self, states):
        """Each sequence's state after its last step."""
        batch = self.batch
        if self.uniform:
            s = self.steps[-1][0]
            return states[batch + s:batch + s + batch].copy()
        out = np.empty((batch,) + states.shape[1:], states.dtype)
        for s, b, _, _ in self.steps:
            out[:b] = states[batch + s:batch + s + b]
        return out

    def add_final(self, grads, grad):
        """Adds the gradient of the final states to the rows they were read from."""
        batch = self.batch
        if self.uniform:
            s = self.steps[-1][0]
            grads[batch + s:batch + s + batch] += grad
            return
        done = 0
        for s, b, _, _ in self.steps[::-1]:           # a sequence's last step comes last
            if b > done:
                grads[batch + s + done:batch + s + b] += grad[done:b]
                done = b


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
        ctx.save_for_backward(x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr)   # (recorded backward)
        shape = x.shape
        x2 = x.reshape(-1, shape[-1])
        n_rows, batch = x2.shape[0], h0.shape[0]
        steps = _Steps(batch_sizes, n_rows, batch, reverse)
        hidden = w_hh.shape[0] // (4 if mode == "LSTM" else 3 if mode == "GRU" else 1)
        scale = _gate_scale(mode, hidden, x.dtype)
        pre = _BUFFERS.take((n_rows, w_ih.shape[0]), x.dtype)
        np.dot(x2, (w_ih if scale is None else w_ih * scale[:, None]).T, out=pre)  # all steps
        if b_ih is not None:
            if mode == "GRU":
                bias = b_ih.copy()
                bias[:2 * hidden] += b_hh[:2 * hidden]         # b_hn stays inside r * (...)
            else:
                bias = b_ih + b_hh
            pre += bias if scale is None else bias * scale
        hs = np.empty((batch + n_rows, h0.shape[1]), x.dtype)
        hs[:batch] = h0
        ctx.mode, ctx.steps, ctx.shape, ctx.x2, ctx.hs = mode, steps, shape, x2, hs
        ctx.w, ctx.has_bias = (w_ih, w_hh, w_hr), b_ih is not None
        if mode == "LSTM":
            _lstm_forward(ctx, pre, hs, c0, w_hh, w_hr, scale, hidden)
        elif mode == "GRU":
            _gru_forward(ctx, pre, hs, w_hh, b_hh, scale, hidden)
        else:
            _rnn_forward(ctx, pre, hs, w_hh)
        y = hs[batch:].reshape(shape[:-1] + (hs.shape[1],))
        _BUFFERS.give_when_freed(ctx, *ctx.work)
        if mode == "LSTM":
            return y, steps.final(hs), steps.final(ctx.cs)
        return y, steps.final(hs)

    @staticmethod
    def backward(ctx, grad_y, grad_h, grad_c=None):
        if not isinstance(grad_y, np.ndarray):                  # create_graph=True
            return recorded_backward(ctx, grad_y, grad_h, grad_c)
        mode, steps, hs = ctx.mode, ctx.steps, ctx.hs
        batch = steps.batch
        w_ih, w_hh, w_hr = ctx.w
        # the gradient of every state, in the layout of hs: outputs first, the final state's
        # gradient added to the rows it was read from, each step's share added as it is found
        dhs = _BUFFERS.take(hs.shape, hs.dtype)
        dhs[:batch] = 0
        dhs[batch:] = grad_y.reshape(-1, grad_y.shape[-1])
        steps.add_final(dhs, grad_h)
        grad_w_hr = dc0 = dcs = None
        h_prev = steps.gather_previous(hs)
        if mode == "LSTM":
            dg, dcs, grad_w_hr = _lstm_backward(ctx, dhs, grad_c, w_hh, w_hr)
            dg_hh, dc0 = dg, dcs[:batch].copy()
        elif mode == "GRU":
            dg, dg_hh = _gru_backward(ctx, dhs, h_prev, w_hh)
        else:
            dg = dg_hh = _rnn_backward(ctx, dhs, w_hh)
        grad_x = dg.dot(w_ih).reshape(ctx.shape) if ctx.needs_input_grad[0] else None
        grad_w_ih = dg.T.dot(ctx.x2)
        grad_w_hh = dg_hh.T.dot(h_prev)
        grad_b_ih = grad_b_hh = None
        if ctx.has_bias:
            grad_b_ih = np.add.reduce(dg, axis=0)
            grad_b_hh = grad_b_ih if dg_hh is dg else np.add.reduce(dg_hh, axis=0)
        dh0 = dhs[:batch].copy()
        _BUFFERS.give(dhs, dg, None if dg_hh is dg else dg_hh, dcs)
        return (grad_x, dh0, dc0, grad_w_ih, grad_w_hh, grad_b_ih, grad_b_hh, grad_w_hr,
                None, None, None)


class LSTMLayer(RecurrentLayer):
    """The float32 LSTM layer without projections: torch runs it with oneDNN."""

    node_name = "MkldnnRnnLayerBackward0"


def _rnn_forward(ctx, pre, hs, w_hh):
    """The plain RNN steps: each output goes straight into its rows of ``hs``."""
    steps = ctx.steps
    batch = steps.batch
    w_hh_t = np.ascontiguousarray(w_hh.T)                   # BLAS is faster on it
    relu = ctx.mode == "RNN_RELU"
    ctx.work = (pre,)
    for s, b, ps, pc in steps.steps:
        a = pre[s:s + b]
        a += steps.previous(hs, s, b, ps, pc).dot(w_hh_t)
        out = hs[batch + s:batch + s + b]
        if relu:
            np.maximum(a, 0, out=out)
        else:
            np.tanh(a, out=out)


def _rnn_backward(ctx, dhs, w_hh):
    """Backpropagation through the plain RNN steps: the gradients of the pre-activations."""
    steps = ctx.steps
    batch = steps.batch
    y = ctx.hs[batch:]
    deriv = (y > 0).astype(y.dtype) if ctx.mode == "RNN_RELU" else 1 - y * y
    dg = _BUFFERS.take(y.shape, y.dtype)
    for s, b, ps, pc in steps.steps[::-1]:
        dgt = np.multiply(dhs[batch + s:batch + s + b], deriv[s:s + b], out=dg[s:s + b])
        steps.scatter(dhs, dgt.dot(w_hh), b, ps, pc)
    return dg


def _lstm_forward(ctx, pre, hs, c0, w_hh, w_hr, scale, hidden):
    """The LSTM steps; ``pre`` (N, 4H) becomes the gate activations i, f, g, o in place."""
    steps = ctx.steps
    batch, n_rows, dtype = steps.batch, pre.shape[0], pre.dtype
    w_hh_t = np.ascontiguousarray((w_hh * scale[:, None]).T)    # BLAS is faster on it
    shift = 1 - scale                     # sigma = 0.5 t + 0.5, tanh = 1 t + 0
    cs = _BUFFERS.take((batch + n_rows, hidden), dtype)
    cs[:batch] = c0
    tanh_c = _BUFFERS.take((n_rows, hidden), dtype)
    proj = w_hr is not None
    h_pre = _BUFFERS.take((n_rows, hidden), dtype) if proj else None
    w_hr_t = w_hr.T if proj else None
    H2, H3 = 2 * hidden, 3 * hidden
    for s, b, ps, pc in steps.steps:
        e, r = s + b, batch + s
        a = pre[s:e]
        a += steps.previous(hs, s, b, ps, pc).dot(w_hh_t)
        np.tanh(a, out=a)
        a *= scale
        a += shift
        cn = np.multiply(a[:, hidden:H2], steps.previous(cs, s, b, ps, pc), out=cs[r:r + b])
        cn += a[:, :hidden] * a[:, H2:H3]
        tc = np.tanh(cn, out=tanh_c[s:e])
        if proj:
            np.dot(np.multiply(a[:, H3:], tc, out=h_pre[s:e]), w_hr_t, out=hs[r:r + b])
        else:
            np.multiply(a[:, H3:], tc, out=hs[r:r + b])
    ctx.acts, ctx.cs, ctx.tanh_c, ctx.h_pre = pre, cs, tanh_c, h_pre
    ctx.work = (pre, cs, tanh_c, h_pre)


def _lstm_backward(ctx, dhs, grad_c, w_hh, w_hr):
    """Backpropagation through the LSTM steps: the gradients of the pre-activations (N, 4H),
    of every cell state (its first rows: c0's) and of ``weight_hr``.

    Per step, with the activations a = (i, f, g, o): dc += dh o tanh'(c); the gates' gradients
    are (dc g, dc c_prev, dc i, dh tanh(c)) times their derivatives (sigma' = s (1 - s),
    tanh' = 1 - t^2); dh_prev = dgates W_hh, dc_prev = dc f.  Everything is computed on the
    step's rows, which stay in the cache."""
    steps = ctx.steps
    acts, cs, tanh_c = ctx.acts, ctx.cs, ctx.tanh_c
    batch, hidden = steps.batch, tanh_c.shape[1]
    H2, H3 = 2 * hidden, 3 * hidden
    dcs = _BUFFERS.take(cs.shape, cs.dtype)
    dcs.fill(0)
    steps.add_final(dcs, grad_c)
    dg = _BUFFERS.take(acts.shape, acts.dtype)
    proj = w_hr is not None
    for s, b, ps, pc in steps.steps[::-1]:
        e, r = s + b, batch + s
        a, tc, dgt = acts[s:e], tanh_c[s:e], dg[s:e]
        d = dhs[r:r + b]
        if proj:
            d = d.dot(w_hr)
        dc = dcs[r:r + b]
        t = tc * tc
        np.subtract(1, t, out=t)
        t *= a[:, H3:]
        t *= d
        dc += t
        np.multiply(dc, a[:, H2:H3], out=dgt[:, :hidden])
        np.multiply(dc, steps.previous(cs, s, b, ps, pc), out=dgt[:, hidden:H2])
        np.multiply(dc, a[:, :hidden], out=dgt[:, H2:H3])
        np.multiply(d, tc, out=dgt[:, H3:])
        deriv = np.subtract(1, a)
        deriv *= a
        g = a[:, H2:H3]
        np.multiply(g, g, out=deriv[:, H2:H3])
        np.subtract(1, deriv[:, H2:H3], out=deriv[:, H2:H3])
        dgt *= deriv
        steps.scatter(dhs, dgt.dot(w_hh), b, ps, pc)
        steps.scatter(dcs, dc * a[:, hidden:H2], b, ps, pc)
    # h_t = W_hr h_pre_t, so d(loss)/d(W_hr) sums d(loss)/d(h_t)^T h_pre_t over the steps
    grad_w_hr = dhs[batch:].T.dot(ctx.h_pre) if proj else None
    return dg, dcs, grad_w_hr


def _gru_forward(ctx, pre, hs, w_hh, b_hh, scale, hidden):
    """The GRU steps; ``pre`` (N, 3H) becomes r, z, n in place."""
    steps = ctx.steps
    batch, n_rows = steps.batch, pre.shape[0]
    w_hh_t = np.ascontiguousarray((w_hh * scale[:, None]).T)
    b_n = np.zeros(hidden, pre.dtype) if b_hh is None else b_hh[2 * hidden:]
    hn_part = _BUFFERS.take((n_rows, hidden), pre.dtype)     # W_hn h + b_hn, for backward
    H2 = 2 * hidden
    for s, b, ps, pc in steps.steps:
        e, r = s + b, batch + s
        hp = steps.previous(hs, s, b, ps, pc)
        a = pre[s:e]
        gh = hp.dot(w_hh_t)
        rz = a[:, :H2]
        rz += gh[:, :H2]
        np.tanh(rz, out=rz)
        rz *= 0.5
        rz += 0.5
        ghn = np.add(gh[:, H2:], b_n, out=hn_part[s:e])
        n = a[:, H2:]
        n += rz[:, :hidden] * ghn
        np.tanh(n, out=n)
        hn = np.subtract(hp, n, out=hs[r:r + b])          # h' = n + z (h - n)
        hn *= rz[:, hidden:]
        hn += n
    ctx.acts, ctx.hn_part = pre, hn_part
    ctx.work = (pre, hn_part)


def _gru_backward(ctx, dhs, h_prev, w_hh):
    """Backpropagation through the GRU steps: the gradients of the input pre-activations and
    of the hidden pre-activations (which differ in the n rows: r multiplies them)."""
    steps = ctx.steps
    acts, hn_part = ctx.acts, ctx.hn_part
    batch, hidden = steps.batch, hn_part.shape[1]
    H2 = 2 * hidden
    r, z, n = acts[:, :hidden], acts[:, hidden:H2], acts[:, H2:]
    # for all steps at once: dn_pre = dh (1 - z) tanh'; dz_pre = dh (h - n) z';
    # dr_pre = dn_pre (W_hn h + b_hn) r'
    by_dn = (1 - z) * (1 - n * n)
    by_dz = (h_prev - n) * (z * (1 - z))
    by_dr = hn_part * (r * (1 - r))
    dgi = _BUFFERS.take(acts.shape, acts.dtype)
    dgh = _BUFFERS.take(acts.shape, acts.dtype)
    for s, b, ps, pc in steps.steps[::-1]:
        e = s + b
        d = dhs[batch + s:batch + e]
        di = dgi[s:e]
        dn = np.multiply(d, by_dn[s:e], out=di[:, H2:])
        np.multiply(dn, by_dr[s:e], out=di[:, :hidden])
        np.multiply(d, by_dz[s:e], out=di[:, hidden:H2])
        dhh = dgh[s:e]
        dhh[:, :H2] = di[:, :H2]
        np.multiply(dn, r[s:e], out=dhh[:, H2:])
        g = dhh.dot(w_hh)
        g += d * z[s:e]
        steps.scatter(dhs, g, b, ps, pc)
    return dgi, dgh


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
