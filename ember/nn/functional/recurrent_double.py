"""The backward pass of a recurrent layer when it is itself recorded (``create_graph=True``),
so that gradients of gradients flow through RNN, LSTM and GRU (a gradient penalty, say).

``RecurrentLayer``'s own backward runs on NumPy arrays, fast but invisible to autograd.  When
the backward pass must be recorded, the layer's forward is run again here with ember's ordinary
differentiable operations -- step by step, the same rows and gates as ``recurrent.py`` -- and
``autograd.grad`` of that recomputation, with ``create_graph=True``, gives the gradients as
tensors whose own graph reaches the weights, the input and the output gradients.
"""
from ..._ops.shape.joining import cat
from ...autograd import grad as _autograd_grad


def _gates(mode, x_part, h, w_hh, b_hh, c):
    """One step of the cell: (new h before projection, new c or None)."""
    hh = h.matmul(w_hh.t())
    if b_hh is not None and mode != "GRU":
        hh = hh + b_hh
    if mode == "RNN_TANH":
        return (x_part + hh).tanh(), None
    if mode == "RNN_RELU":
        return (x_part + hh).relu(), None
    if mode == "LSTM":
        i, f, g, o = (x_part + hh).chunk(4, 1)
        c = f.sigmoid() * c + i.sigmoid() * g.tanh()
        return o.sigmoid() * c.tanh(), c
    if b_hh is not None:
        hh = hh + b_hh
    xr, xz, xn = x_part.chunk(3, 1)
    hr, hz, hn = hh.chunk(3, 1)
    r, z = (xr + hr).sigmoid(), (xz + hz).sigmoid()
    n = (xn + r * hn).tanh()
    return (1 - z) * n + z * h, None


def _previous(states, initial, s, b, ps, pc):
    """The previous state of a step's rows: ``pc`` rows of the step that starts at ``ps`` (or
    of the initial state), then the initial states of the sequences that start here."""
    prev = states[ps][:pc] if ps in states else initial[:pc]
    return prev if pc == b else cat([prev, initial[pc:b]])


def _final(per_step, initial, steps):
    """Each sequence's state after its last step."""
    final = initial
    for s, b, _, _ in steps.steps:
        state = per_step[steps.batch + s]
        final = state if b == final.shape[0] else cat([state, final[b:]])
    return final


def rerun(ctx, x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr):
    """The layer's outputs (y, h_n[, c_n]) recomputed with differentiable operations."""
    mode, steps = ctx.mode, ctx.steps
    x2 = x.reshape(-1, x.shape[-1])
    pre = x2.matmul(w_ih.t())
    if b_ih is not None:
        pre = pre + b_ih
    hs, cs = {}, {}                         # a step's states, by their first row in ``hs``
    for s, b, ps, pc in steps.steps:
        h_prev = _previous(hs, h0, s, b, ps, pc)
        c_prev = _previous(cs, c0, s, b, ps, pc) if c0 is not None else None
        h, c = _gates(mode, pre[s:s + b], h_prev, w_hh, b_hh, c_prev)
        if w_hr is not None:
            h = h.matmul(w_hr.t())
        hs[steps.batch + s] = h
        if c is not None:
            cs[steps.batch + s] = c
    rows = [hs[steps.batch + s] for s, _, _, _ in sorted(steps.steps)]
    y = cat(rows).reshape(tuple(ctx.shape[:-1]) + (h0.shape[1],))
    outputs = [y, _final(hs, h0, steps)]
    if c0 is not None:
        outputs.append(_final(cs, c0, steps))
    return outputs


def recorded_backward(ctx, grad_y, grad_h, grad_c=None):
    """The layer's gradients as recorded tensors (see the module docstring)."""
    inputs = ctx.saved_tensors
    outputs = rerun(ctx, *inputs)
    grads = [g for g in (grad_y, grad_h, grad_c)[:len(outputs)]]
    wanted = [i for i, t in enumerate(inputs) if t is not None and ctx.needs_input_grad[i]]
    found = _autograd_grad(outputs, [inputs[i] for i in wanted], grads, create_graph=True,
                           allow_unused=True)
    result = [None] * 11
    for i, g in zip(wanted, found):
        result[i] = g if g is not None else inputs[i].new_zeros(inputs[i].shape)
    return tuple(result)
