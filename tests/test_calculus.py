"""diff, trapezoid, cumulative_trapezoid, logcumsumexp, cov, corrcoef, dist, renorm, bincount,
histc and histogram against torch: values, dtypes, gradients (gradcheck in float64), errors."""
import numpy as np
import pytest

from parity import compare, gradcheck, same, same_error

torch = pytest.importorskip("torch")

B = np.array([[1.0, 3.0, 2.0, 7.0], [4.0, 0.5, 6.0, 2.0], [2.0, 2.0, 9.0, 1.0]])
X = np.array([0.0, 1.0, 3.0, 4.5])
I = np.array([1, 3, 1, 0, 5])

CASES = [
    (lambda l, b, x: l.diff(b), (B, X)),
    (lambda l, b, x: l.diff(b, 2, 0), (B, X)),
    (lambda l, b, x: b.diff(dim=1, prepend=b[:, :1], append=b[:, :2]), (B, X)),
    (lambda l, b, x: l.trapezoid(b), (B, X)),
    (lambda l, b, x: l.trapezoid(b, dx=0.5, dim=0), (B, X)),
    (lambda l, b, x: l.trapezoid(b, x), (B, X)),
    (lambda l, b, x: l.cumulative_trapezoid(b), (B, X)),
    (lambda l, b, x: l.cumulative_trapezoid(b, x, dim=-1), (B, X)),
    (lambda l, b, x: l.logcumsumexp(b, 1), (B, X)),
    (lambda l, b, x: b.logcumsumexp(0), (B, X)),
    (lambda l, b, x: l.cov(b), (B, X)),
    (lambda l, b, x: l.cov(b, correction=0), (B, X)),
    (lambda l, b, x: l.cov(x), (B, X)),
    (lambda l, b, x: l.cov(b, fweights=l.tensor([1, 2, 1, 3]), aweights=x + 1), (B, X)),
    (lambda l, b, x: l.cov(b, aweights=x + 1), (B, X)),
    (lambda l, b, x: l.corrcoef(b), (B, X)),
    (lambda l, b, x: b.corrcoef(), (B, X)),
    (lambda l, b, x: l.dist(b, x), (B, X)),
    (lambda l, b, x: b.dist(x, 1), (B, X)),
    (lambda l, b, x: l.dist(b, x, 3.5), (B, X)),
    (lambda l, b, x: l.dist(b, x, float("inf")), (B, X)),
    (lambda l, b, x: l.renorm(b, 2, 0, 5), (B, X)),
    (lambda l, b, x: b.renorm(1, 1, 5), (B, X)),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_values_and_gradients_match_torch(case):
    fn, arrays = CASES[case]
    compare(fn, *arrays, nodes=False)


@pytest.mark.parametrize("case", [1, 5, 7, 8, 10, 13, 15, 19, 21])
def test_gradcheck(case):
    fn, arrays = CASES[case]
    gradcheck(fn, *arrays, double=False)


@pytest.mark.parametrize("fn", [
    lambda l: l.diff(l.tensor([True, False, False])),
    lambda l: l.diff(l.tensor([1, 5, 2]), 2),
    lambda l: l.logcumsumexp(l.tensor([-float("inf"), 1.0, float("inf")]), 0),
    lambda l: l.cov(l.tensor([[1, 2, 4], [3, 1, 1]])),
    lambda l: l.bincount(l.tensor([1, 3, 1, 0, 5])),
    lambda l: l.bincount(l.tensor([1, 3]), minlength=6),
    lambda l: l.bincount(l.tensor([1, 3, 1]), weights=l.tensor([0.5, 1.0, 2.0])),
    lambda l: l.bincount(l.tensor([1, 3, 1]), weights=l.tensor([0.5, 1.0, 2.0]).double()),
    lambda l: l.histc(l.tensor([1.0, 2.0, 1.0, 7.5]), 4),
    lambda l: l.tensor([1.0, 2.0, 1.0, 7.5]).histc(bins=5, min=0, max=5),
    lambda l: l.histogram(l.tensor([1.0, 2.0, 1.0, 7.5]), 4),
    lambda l: l.histogram(l.tensor([1.0, 2.0, 1.0]), 3, range=(0.0, 6.0), density=True),
    lambda l: l.histogram(l.tensor([1.0, 2.0, 1.0]), l.tensor([0.0, 1.5, 9.0])),
    lambda l: l.histogram(l.tensor([1.0, 2.0, 1.0]), 2, weight=l.tensor([1.0, 3.0, 0.5])),
])
def test_counts_and_integer_results_match_torch(fn):
    def plain(lib):
        result = fn(lib)
        parts = result if isinstance(result, tuple) else (result,)
        return [(str(p.dtype), np.round(p.numpy().astype(float), 5).tolist()) for p in parts]
    same(plain)


def test_histogram_is_a_named_tuple():
    same(lambda l: type(l.histogram(l.tensor([1.0, 2.0]), 2)).__name__)
    same(lambda l: l.histogram(l.tensor([1.0, 2.0]), 2).bin_edges.tolist())


@pytest.mark.parametrize("fn", [
    lambda l: l.diff(l.tensor(1.0)),
    lambda l: l.diff(l.ones(3), -1),
    lambda l: l.trapezoid(l.ones(3), 2.0),
    lambda l: l.logcumsumexp(l.ones(3), 1),
    lambda l: l.cov(l.ones(2, 2, 2)),
    lambda l: l.bincount(l.tensor([1.0])),
    lambda l: l.bincount(l.tensor([[1]])),
    lambda l: l.bincount(l.tensor([-1])),
    lambda l: l.histc(l.tensor([1, 2])),
    lambda l: l.histc(l.ones(3), 3, 2, 1),
    lambda l: l.renorm(l.ones(3), 2, 0, 1),
    lambda l: l.renorm(l.ones(3, 3), -1, 0, 1),
])
def test_errors_match_torch(fn):
    same_error(fn)
