"""The strong-Wolfe line search of ``LBFGS`` (after minFunc's ``lswolfe``).

Along the direction d from x, with loss f(0) and slope f'(0) = g.d < 0, it looks for a step t
that satisfies both strong Wolfe conditions:

    f(t) <= f(0) + c1 t f'(0)          (sufficient decrease, "Armijo")
    |f'(t)| <= c2 |f'(0)|              (the slope has flattened enough)

First it *brackets*: it tries growing steps (each the minimiser of the cubic through the last
two points, kept within [t + 0.01 (t - t_prev), 10 t]) until the loss rises or the slope turns
non-negative -- then a good step lies between the last two.  Then it *zooms*: it shrinks the
bracket by cubic interpolation (moved 10% of the bracket inside when it lands too close to an
end twice running) until a step satisfies the conditions or the bracket is too small.
"""

__all__ = ["cubic_interpolate", "strong_wolfe"]


def cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """The minimiser of the cubic with values f1, f2 and slopes g1, g2 at x1, x2, clamped to
    ``bounds`` (default: between x1 and x2); the middle of the bounds when it has none."""
    low, high = bounds if bounds is not None else ((x1, x2) if x1 <= x2 else (x2, x1))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square >= 0:
        d2 = d2_square.sqrt()
        if x1 <= x2:
            best = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            best = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(best, low), high)
    return (low + high) / 2.0


class _Bracket:
    """Steps with their losses, gradients and slopes; ``low`` is the position of the lower
    loss."""

    def __init__(self, points):
        self.t = [p[0] for p in points]
        self.f = [p[1] for p in points]
        self.g = [p[2] for p in points]
        self.gtd = [p[3] for p in points]
        self.order()

    def order(self):
        self.low, self.high = (0, 1) if self.f[0] <= self.f[-1] else (1, 0)

    def put(self, pos, point):
        self.t[pos], self.f[pos], self.g[pos], self.gtd[pos] = point


def strong_wolfe(obj_func, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9,
                 max_ls=25):
    """A step t along d satisfying the strong Wolfe conditions (see the module docstring).

    ``obj_func(x, t, d)`` gives (loss, flat gradient) at x + t d.  Returns
    ``(loss, flat gradient, t, number of evaluations)``."""
    d_norm = d.abs().max()
    g = g.clone()
    f_new, g_new = obj_func(x, t, d)
    evals = 1
    gtd_new = g_new.dot(d)
    prev = (0, f, g, gtd)
    bracket, done, ls_iter = None, False, 0
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= prev[1]):
            bracket = _Bracket([prev, (t, f_new, g_new.clone(), gtd_new)])
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket = _Bracket([(t, f_new, g_new, gtd_new)])
            done = True
            break
        if gtd_new >= 0:
            bracket = _Bracket([prev, (t, f_new, g_new.clone(), gtd_new)])
            break
        step = cubic_interpolate(prev[0], prev[1], prev[3], t, f_new, gtd_new,
                                 bounds=(t + 0.01 * (t - prev[0]), t * 10))
        prev = (t, f_new, g_new.clone(), gtd_new)
        t = step
        f_new, g_new = obj_func(x, t, d)
        evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
    if ls_iter == max_ls:
        bracket = _Bracket([(0, f, g, None), (t, f_new, g_new, None)])

    insufficient = False
    while not done and ls_iter < max_ls:
        b = bracket
        if abs(b.t[1] - b.t[0]) * d_norm < tolerance_change:
            break
        t = cubic_interpolate(b.t[0], b.f[0], b.gtd[0], b.t[1], b.f[1], b.gtd[1])
        top, bottom = max(b.t), min(b.t)
        eps = 0.1 * (top - bottom)
        if min(top - t, t - bottom) < eps:             # too close to an end of the bracket
            if insufficient or t >= top or t <= bottom:
                t = top - eps if abs(t - top) < abs(t - bottom) else bottom + eps
                insufficient = False
            else:
                insufficient = True
        else:
            insufficient = False
        f_new, g_new = obj_func(x, t, d)
        evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
        point = (t, f_new, g_new.clone(), gtd_new)
        if f_new > (f + c1 * t * gtd) or f_new >= b.f[b.low]:
            b.put(b.high, point)                     # too high: it becomes the high end
            b.order()
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (b.t[b.high] - b.t[b.low]) >= 0:
                b.put(b.high, (b.t[b.low], b.f[b.low], b.g[b.low], b.gtd[b.low]))
            b.put(b.low, point)                      # lower: it becomes the low end
    return bracket.f[bracket.low], bracket.g[bracket.low], bracket.t[bracket.low], evals
