"""Transforms, ``biject_to``/``transform_to`` and ``TransformedDistribution`` against torch."""
import pytest

import ember
from parity import assert_close

torch = pytest.importorskip("torch")

TRANSFORMS = {
    "exp": (lambda T, lib: T.ExpTransform(), [[0.3, -1.2, 2.0]]),
    "affine": (lambda T, lib: T.AffineTransform(1.0, -2.0), [[0.3, -1.2, 2.0]]),
    "affine_tensor": (lambda T, lib: T.AffineTransform(lib.tensor([1.0, 0.0, 2.0]),
                                                       lib.tensor([2.0, 3.0, -1.0]), event_dim=1),
                      [[0.3, -1.2, 2.0]]),
    "sigmoid": (lambda T, lib: T.SigmoidTransform(), [[0.3, -1.2, 2.0]]),
    "tanh": (lambda T, lib: T.TanhTransform(), [[0.3, -1.2, 2.0]]),
    "softplus": (lambda T, lib: T.SoftplusTransform(), [[0.3, -1.2, 2.0]]),
    "power": (lambda T, lib: T.PowerTransform(lib.tensor(2.5)), [[0.3, 1.2, 2.0]]),
    "abs": (lambda T, lib: T.AbsTransform(), [[0.3, -1.2, 2.0]]),
    "stick_breaking": (lambda T, lib: T.StickBreakingTransform(), [[0.3, -1.2, 2.0]]),
    "softmax": (lambda T, lib: T.SoftmaxTransform(), [[0.3, -1.2, 2.0]]),
    "lower_cholesky": (lambda T, lib: T.LowerCholeskyTransform(), [[0.3, -1.2], [2.0, 0.5]]),
    "positive_definite": (lambda T, lib: T.PositiveDefiniteTransform(),
                          [[0.3, -1.2], [2.0, 0.5]]),
    "compose": (lambda T, lib: T.ComposeTransform([T.ExpTransform(),
                                                   T.AffineTransform(1.0, 2.0)]),
                [[0.3, -1.2, 2.0]]),
    "inverse": (lambda T, lib: T.ExpTransform().inv, [[0.3, 1.2, 2.0]]),
    "independent": (lambda T, lib: T.IndependentTransform(T.ExpTransform(), 1),
                    [[0.3, -1.2, 2.0]]),
    "reshape": (lambda T, lib: T.ReshapeTransform((2, 3), (3, 2)),
                [[0.3, -1.2, 2.0], [1.0, 2.0, 3.0]]),
    "identity": (lambda T, lib: T.identity_transform, [[0.3, -1.2, 2.0]]),
    "cat": (lambda T, lib: T.CatTransform([T.ExpTransform(), T.SigmoidTransform(),
                                           T.AffineTransform(1.0, 2.0)], dim=1,
                                          lengths=[1, 2, 1]),
            [[0.3, -1.2, 2.0, 0.5], [1.0, 2.0, -3.0, 0.1]]),
    "corr_cholesky": (lambda T, lib: T.CorrCholeskyTransform(),
                      [[0.3, -1.2, 2.0], [0.1, 0.2, 0.3]]),
    "stack": (lambda T, lib: T.StackTransform([T.ExpTransform(), T.TanhTransform()], dim=0),
              [[0.3, -1.2, 2.0], [1.0, 2.0, -3.0]]),
}


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_transform_matches_torch(name):
    make, x = TRANSFORMS[name]
    te, tt = make(ember.distributions.transforms, ember), make(torch.distributions.transforms,
                                                               torch)
    assert repr(te) == repr(tt)
    xe, xt = ember.tensor(x), torch.tensor(x)
    ye, yt = te(xe), tt(xt)
    assert_close(ye, yt)
    assert_close(te.inv(ye), tt.inv(yt), rtol=1e-4, atol=1e-5)
    try:
        expected = tt.log_abs_det_jacobian(xt, yt)
    except NotImplementedError:
        expected = None
    if expected is not None:
        assert_close(te.log_abs_det_jacobian(xe, ye), expected, rtol=1e-5, atol=1e-5)
    assert repr(te.domain) == repr(tt.domain) and repr(te.codomain) == repr(tt.codomain)
    assert te.bijective == tt.bijective
    assert tuple(te.forward_shape(xe.shape)) == tuple(tt.forward_shape(xt.shape))
    assert tuple(te.inverse_shape(ye.shape)) == tuple(tt.inverse_shape(yt.shape))


def test_cache_returns_the_same_x():
    t = ember.distributions.transforms.ExpTransform(cache_size=1)
    x = ember.tensor([1.0, 2.0])
    assert t.inv(t(x)) is x
    with pytest.raises(ValueError, match="cache_size must be 0 or 1"):
        ember.distributions.transforms.ExpTransform(cache_size=2)


CONSTRAINTS = ["real", "positive", "nonnegative", "unit_interval", "simplex", "real_vector",
               "lower_cholesky", "positive_definite", "corr_cholesky"]


@pytest.mark.parametrize("name", CONSTRAINTS)
@pytest.mark.parametrize("registry", ["biject_to", "transform_to"])
def test_constraint_registries_match_torch(name, registry):
    ce = getattr(ember.distributions.constraints, name)
    ct = getattr(torch.distributions.constraints, name)
    fe, ft = getattr(ember.distributions, registry), getattr(torch.distributions, registry)
    try:
        expected = repr(ft(ct))
    except NotImplementedError as error:
        with pytest.raises(NotImplementedError, match=str(error)):
            fe(ce)
        return
    assert repr(fe(ce)) == expected


def test_cat_and_stack_constraints():
    for lib in (ember, torch):
        C = lib.distributions.constraints
        value = lib.tensor([[1.0, 0.5, -2.0], [2.0, 1.5, 0.3]])
        cat = C.cat([C.positive, C.unit_interval, C.real], dim=1)
        stack = C.stack([C.positive, C.real], dim=0)
        results = (cat.check(value).tolist(), stack.check(value).tolist(), cat.event_dim,
                   stack.event_dim, repr(lib.distributions.biject_to(stack)))
        if lib is ember:
            mine = results
    assert mine == results


def test_interval_registries():
    for lib in (ember, torch):
        c = lib.distributions.constraints
        assert repr(lib.distributions.biject_to(c.interval(-1.0, 3.0))).startswith(
            "ComposeTransform")
    xe = ember.tensor([0.5, -2.0])
    ye = ember.distributions.transform_to(ember.distributions.constraints.greater_than(2.0))(xe)
    yt = torch.distributions.transform_to(torch.distributions.constraints.greater_than(2.0))(
        torch.tensor([0.5, -2.0]))
    assert_close(ye, yt)


def test_transformed_distribution_matches_torch():
    def make(lib):
        D = lib.distributions
        return D.TransformedDistribution(
            D.Normal(lib.tensor([0.0, 1.0]), lib.tensor([1.0, 2.0])),
            [D.transforms.ExpTransform(), D.transforms.AffineTransform(1.0, -2.0)])
    e, t = make(ember), make(torch)
    assert repr(e) == repr(t) and repr(e.support) == repr(t.support)
    v = [-2.0, -5.0]
    assert_close(e.log_prob(ember.tensor(v)), t.log_prob(torch.tensor(v)))
    assert_close(e.cdf(ember.tensor(v)), t.cdf(torch.tensor(v)))
    assert_close(e.icdf(ember.tensor([0.2, 0.7])), t.icdf(torch.tensor([0.2, 0.7])))
    big_e, big_t = e.expand((3, 2)), t.expand((3, 2))
    assert tuple(big_e.batch_shape) == tuple(big_t.batch_shape)
    vector_e = ember.distributions.TransformedDistribution(
        ember.distributions.Normal(ember.zeros(3), ember.ones(3)),
        ember.distributions.transforms.StickBreakingTransform())
    vector_t = torch.distributions.TransformedDistribution(
        torch.distributions.Normal(torch.zeros(3), torch.ones(3)),
        torch.distributions.transforms.StickBreakingTransform())
    assert tuple(vector_e.event_shape) == tuple(vector_t.event_shape) == (4,)
    p = [0.1, 0.2, 0.3, 0.4]
    assert_close(vector_e.log_prob(ember.tensor(p)), vector_t.log_prob(torch.tensor(p)))
    with pytest.raises(ValueError, match="transforms must be a Transform or list"):
        ember.distributions.TransformedDistribution(ember.distributions.Normal(0.0, 1.0), 3)
