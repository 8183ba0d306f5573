"""L-BFGS: a quasi-Newton method that builds an inverse-Hessian estimate from recent steps.

Each ``step(closure)`` runs up to ``max_iter`` iterations on all parameters seen as one flat
vector x with gradient g:

* direction: d = -H g, where H applies the last ``history_size`` pairs (s = step taken,
  y = change of gradient) through the two-loop recursion, starting from the scalar
  H_0 = (y.s) / (y.y) of the newest pair (a pair with y.s <= 1e-10 is not kept);
* step length t: ``lr`` (at the very first iteration ``min(1, 1 / |g|_1) * lr``), or one that a
  strong-Wolfe line search (``line_search_fn="strong_wolfe"``, cubic interpolation, bracketing
  then zooming) finds;
* it stops early when the gradient, the step or the change of the loss gets below the
  tolerances, or after ``max_eval`` evaluations of the closure.

The search itself is in ``lbfgs_search.py``.
"""
from .._ops.shape.joining import cat
from ..autograd.grad_mode import enable_grad, no_grad
from ._common import check_lr, scalar
from .lbfgs_search import strong_wolfe
from .optimizer import Optimizer

__all__ = ["LBFGS"]


class LBFGS(Optimizer):
    """L-BFGS (as torch's, after minFunc).  One parameter group only; every ``step`` needs a
    ``closure`` that recomputes the loss and its gradients and returns the loss.

    Args:
        params (iterable): parameters to optimize.
        lr (float, optional): learning rate (default: 1).
        max_iter (int, optional): iterations per ``step`` (default: 20).
        max_eval (int, optional): closure evaluations per ``step`` (default: max_iter * 1.25).
        tolerance_grad (float, optional): stop when max |g| <= this (default: 1e-7).
        tolerance_change (float, optional): stop when the loss or the step changes less than
            this (default: 1e-9).
        history_size (int, optional): the number of (s, y) pairs kept (default: 100).
        line_search_fn (str, optional): ``"strong_wolfe"`` or None (default: None).

    Example::

        >>> optimizer = ember.optim.LBFGS(model.parameters(), line_search_fn="strong_wolfe")
        >>> def closure():
        ...     optimizer.zero_grad()
        ...     loss = loss_fn(model(x), y)
        ...     loss.backward()
        ...     return loss
        >>> optimizer.step(closure)
    """

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None):
        check_lr(lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(lr=lr, max_iter=max_iter, max_eval=max_eval,
                        tolerance_grad=tolerance_grad, tolerance_change=tolerance_change,
                        history_size=history_size, line_search_fn=line_search_fn)
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    # -------------------------------------------------- the parameters as one flat vector

    def _flat_grad(self):
        return cat([p.new_zeros(p.numel()) if p.grad is None else p.grad.reshape(-1)
                          for p in self._params], 0)

    def _add_grad(self, step_size, update):
        """x += step_size * update, ``update`` cut into the parameters' shapes."""
        offset = 0
        for p in self._params:
            n = p.numel()
            p.add_(update[offset:offset + n].view_as(p), alpha=step_size)
            offset += n

    def _evaluate_at(self, closure, x, t, d):
        """The loss and flat gradient at x + t d; the parameters are put back to x after."""
        self._add_grad(t, d)
        with enable_grad():
            loss = float(closure())
        flat_grad = self._flat_grad()
        for p, value in zip(self._params, x):
            p.copy_(value)
        return loss, flat_grad

    # -------------------------------------------------- one step

    def _direction(self, state, flat_grad, d, t, history_size):
        """The new search direction -H g, after adding the latest (s, y) pair to the memory."""
        if state["n_iter"] == 1:
            state.update(old_dirs=[], old_stps=[], ro=[], H_diag=1)
            return flat_grad.neg()
        old_dirs, old_stps, ro = state["old_dirs"], state["old_stps"], state["ro"]
        y = flat_grad.sub(state["prev_flat_grad"])
        s = d.mul(t)
        ys = y.dot(s)
        if ys > 1e-10:
            if len(old_dirs) == history_size:
                for memory in (old_dirs, old_stps, ro):
                    memory.pop(0)
            old_dirs.append(y)
            old_stps.append(s)
            ro.append(1.0 / ys)
            state["H_diag"] = ys / y.dot(y)
        al = state.setdefault("al", [None] * history_size)
        q = flat_grad.neg()
        for i in range(len(old_dirs) - 1, -1, -1):
            al[i] = old_stps[i].dot(q) * ro[i]
            q.add_(old_dirs[i], alpha=-al[i])
        r = q.mul(state["H_diag"])
        for i in range(len(old_dirs)):
            be_i = old_dirs[i].dot(r) * ro[i]
            r.add_(old_stps[i], alpha=al[i] - be_i)
        return r

    def step(self, closure):
        """Runs up to ``max_iter`` L-BFGS iterations; returns the loss at the starting point."""
        with no_grad():
            return self._step(closure)

    def _step(self, closure):
        group = self.param_groups[0]
        lr = scalar(group["lr"])
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        line_search_fn, history_size = group["line_search_fn"], group["history_size"]
        # The state is global; it is kept as the state of the first parameter (as torch does).
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        with enable_grad():
            orig_loss = closure()
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        if flat_grad.abs().max() <= tolerance_grad:
            return orig_loss
        d, t = state.get("d"), state.get("t")
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            d = self._direction(state, flat_grad, d, t, history_size)
            prev = state.get("prev_flat_grad")
            if prev is None:
                state["prev_flat_grad"] = flat_grad.clone()
            else:
                prev.copy_(flat_grad)
            prev_loss = state["prev_loss"] = loss
            t = min(1.0, 1.0 / flat_grad.abs().sum()) * lr if state["n_iter"] == 1 else lr
            gtd = flat_grad.dot(d)
            if gtd > -tolerance_change:
                break
            evals = 0
            if line_search_fn is not None:
                if line_search_fn != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                x_init = [p.clone() for p in self._params]
                loss, flat_grad, t, evals = strong_wolfe(
                    lambda x, step, direction: self._evaluate_at(closure, x, step, direction),
                    x_init, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals)
                self._add_grad(t, d)
                opt_cond = flat_grad.abs().max() <= tolerance_grad
            else:
                self._add_grad(t, d)
                if n_iter != max_iter:          # (the last iteration's loss is not needed)
                    with enable_grad():
                        loss = float(closure())
                    flat_grad = self._flat_grad()
                    opt_cond = flat_grad.abs().max() <= tolerance_grad
                    evals = 1
            current_evals += evals
            state["func_evals"] += evals
            if (n_iter == max_iter or current_evals >= max_eval or opt_cond
                    or d.mul(t).abs().max() <= tolerance_change
                    or abs(loss - prev_loss) < tolerance_change):
                break
        state.pop("d", None)
        state.pop("t", None)
        state.update(d=d, t=t)
        for key in ("old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "prev_loss"):
            state[key] = state.pop(key, None)   # torch's order of the state's entries
        return orig_loss
