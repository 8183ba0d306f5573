"""``gradcheck`` and ``gradgradcheck``: test a backward formula against finite differences.

The analytical Jacobian comes from the backward pass: for each output element k, backward with
the unit vector e_k gives row k of J (a vector-Jacobian product).  The numerical Jacobian comes
from central differences: nudge input element i by +-eps and watch the outputs,
``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``.  They must agree within ``atol + rtol * |n|``.
Use float64 inputs: in float32 the differences are too coarse for the default tolerances.

A complex number z = x + iy counts as two real numbers (x, y), as in torch: a complex input
element is nudged along 1 and along i (two rows of J), a complex output element gives two
columns (its real and imaginary parts), and a backward pass with the unit gradient 1 (or i)
on an output element gives the derivatives of its real (or imaginary) part with respect to
each input's (x, y): torch's convention, ``grad = dL/dx + i dL/dy``.
"""
import warnings

import numpy as np

from .._tensor import Tensor
from .engine import grad as _grad

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised by gradcheck when the analytical and numerical Jacobians differ."""


def _as_tuple(x):
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _differentiable_outputs(func, inputs):
    outputs = _as_tuple(func(*inputs))
    return outputs, [o for o in outputs if isinstance(o, Tensor) and o._requires_grad]


def _real_size(array):
    """How many real numbers ``array`` holds (two per complex element)."""
    return array.size * (2 if array.dtype.kind == "c" else 1)


def _flat_real(array):
    """``array`` as a flat float64 array, a complex element as its (real, imaginary) pair."""
    if array.dtype.kind == "c":
        return np.stack([array.real, array.imag], -1).astype(np.float64).ravel()
    return array.astype(np.float64).ravel()


def _directions(array):
    """The unit steps of one element: 1, and i for a complex one."""
    return (1, 1j) if array.dtype.kind == "c" else (1,)


def _numerical_jacobian(func, inputs, wrt, outputs, eps):
    """J[i][j] of shape (input i real size, output j real size), by central differences."""
    jacobians = []
    for i in wrt:
        array = inputs[i]._array
        flat = array.reshape(-1)            # a view: writing into it nudges the input in place
        per_output = [np.zeros((_real_size(array), _real_size(o._array))) for o in outputs]
        steps = _directions(array)
        for k in range(array.size):
            original = flat[k].item()
            for d, step in enumerate(steps):
                flat[k] = original + eps * step
                plus = _evaluate(func, inputs)
                flat[k] = original - eps * step
                minus = _evaluate(func, inputs)
                flat[k] = original
                for j, (p, m) in enumerate(zip(plus, minus)):
                    per_output[j][k * len(steps) + d] = (p - m) / (2 * eps)
        jacobians.append(per_output)
    return jacobians


def _evaluate(func, inputs):
    """The differentiable outputs of ``func`` as flat float64 arrays."""
    return [_flat_real(o._array) for o in _as_tuple(func(*inputs))
            if isinstance(o, Tensor) and o._array.dtype.kind in "fc"]


def _analytical_jacobian(inputs, wrt, outputs):
    """The same Jacobians from backward passes with unit gradients, one per output element
    (and per part of a complex one)."""
    jacobians = [[np.zeros((_real_size(inputs[i]._array), _real_size(o._array)))
                  for o in outputs] for i in wrt]
    targets = [inputs[i] for i in wrt]
    for j, out in enumerate(outputs):
        steps = _directions(out._array)
        for k in range(out._array.size):
            for d, step in enumerate(steps):
                unit = np.zeros(out._array.size, dtype=out._array.dtype)
                unit[k] = step
                grads = _grad(out, targets, Tensor._make(unit.reshape(out._array.shape)),
                              retain_graph=True, allow_unused=True)
                for n, g in enumerate(grads):
                    if g is not None:
                        jacobians[n][j][:, k * len(steps) + d] = _flat_real(g._array)
    return jacobians


def _to_tensor_repr(matrix, dtype):
    return repr(Tensor._make(matrix.astype(dtype)))


def _fail(message, raise_exception):
    if raise_exception:
        raise GradcheckError(message)
    return False


def gradcheck(func, inputs, *, eps=1e-06, atol=1e-05, rtol=0.001, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False, check_forward_ad=False,
              check_backward_ad=True, fast_mode=False, masked=None):
    """True if ``func``'s backward agrees with finite differences at ``inputs``.

    Compares, for every input that requires grad and every differentiable output, the
    Jacobian from backward() with a central-difference one; raises ``GradcheckError`` (or
    returns False with ``raise_exception=False``) naming the first pair that differs."""
    inputs = _as_tuple(inputs)
    wrt = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t._requires_grad]
    if not wrt:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but "
                         "none of them have requires_grad=True.")
    for i in wrt:
        if inputs[i]._array.dtype not in (np.float64, np.complex128):
            warnings.warn("Input #{} requires gradient and is not a double precision floating "
                          "point or complex. This check will likely fail if all the inputs are "
                          "not of double precision floating point or complex. ".format(i))
    outputs, diff_outputs = _differentiable_outputs(func, inputs)
    if not check_backward_ad or not diff_outputs:
        return True
    numerical = _numerical_jacobian(func, inputs, wrt, diff_outputs, eps)
    analytical = _analytical_jacobian(inputs, wrt, diff_outputs)
    again = _analytical_jacobian(inputs, wrt, diff_outputs)
    for n, i in enumerate(wrt):
        for j, out in enumerate(diff_outputs):
            a, num = analytical[n][j], numerical[n][j]
            if not np.allclose(a, again[n][j], rtol=0, atol=nondet_tol):
                return _fail("Backward is not reentrant, i.e., running backward with same input "
                             "and grad_output multiple times gives different values, although "
                             "analytical gradient matches numerical gradient.The tolerance for "
                             "nondeterminism was {}.".format(nondet_tol), raise_exception)
            if not np.allclose(a, num, rtol=rtol, atol=atol):
                dtype = out._array.real.dtype
                return _fail("Jacobian mismatch for output {} with respect to input {},\n"
                             "numerical:{}\nanalytical:{}\n".format(
                                 j, i, _to_tensor_repr(num, dtype), _to_tensor_repr(a, dtype)),
                             raise_exception)
    return True


def _random_like(rng, array):
    values = rng.standard_normal(array.shape)
    if array.dtype.kind == "c":
        values = values + 1j * rng.standard_normal(array.shape)
    return np.asarray(values, dtype=array.dtype)      # (0-d arithmetic gives NumPy scalars)


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-06, atol=1e-05, rtol=0.001,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    """gradcheck of the backward pass itself: second derivatives, via ``create_graph=True``.

    The function checked maps (inputs, grad_outputs) to the gradients of ``func`` with respect
    to its inputs; ``grad_outputs`` are random when not given."""
    inputs = _as_tuple(inputs)
    outputs, diff_outputs = _differentiable_outputs(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(Tensor._make(_random_like(rng, o._array)).requires_grad_()
                             for o in diff_outputs)
    else:
        grad_outputs = _as_tuple(grad_outputs)
    n_inputs = len(inputs)

    def first_derivative(*args):
        ins, gos = args[:n_inputs], args[n_inputs:]
        outs = [o for o in _as_tuple(func(*ins)) if isinstance(o, Tensor) and o._requires_grad]
        targets = [t for t in ins if isinstance(t, Tensor) and t._requires_grad]
        grads = _grad(outs, targets, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivative, inputs + tuple(grad_outputs), eps=eps, atol=atol,
                     rtol=rtol, raise_exception=raise_exception, nondet_tol=nondet_tol)
