"""Convolutions against torch: F.conv1d/2d/3d, F.conv_transpose1d/2d/3d, F.pad and the Conv and
ConvTranspose modules (outputs, node names, gradients of input, weight and bias, second
derivatives, gradcheck, reprs, state_dict keys, initialisation, errors)."""
import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

import ember
from parity import arr, assert_close, compare, error_of, gradcheck, node_name, same, same_error

torch = pytest.importorskip("torch")

SETTINGS = settings(max_examples=25, deadline=None)


def normal(shape, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def F(lib):
    return lib.nn.functional


@st.composite
def convolutions(draw, nd, transposed=False):
    """Shapes and arguments of a valid nd convolution: (x shape, w shape, bias?, kwargs)."""
    groups = draw(st.sampled_from([1, 1, 2]))
    c_in = groups * draw(st.integers(1, 2))
    c_out = groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    padding = tuple(draw(st.integers(0, 2)) for _ in range(nd))
    size = tuple(draw(st.integers(1, 7)) for _ in range(nd))
    batch = draw(st.sampled_from([(), (1,), (2,)]))
    kwargs = dict(stride=stride, dilation=dilation, groups=groups)
    if transposed:
        kwargs["output_padding"] = tuple(draw(st.integers(0, max(s, d) - 1))
                                         for s, d in zip(stride, dilation))
        kwargs["padding"] = padding
        out = [(h - 1) * s - 2 * p + d * (k - 1) + o + 1 for h, s, p, d, k, o in
               zip(size, stride, padding, dilation, kernel, kwargs["output_padding"])]
        assume(all(o >= 1 for o in out))
        w_shape = (c_in, c_out // groups) + kernel
    else:
        mode = draw(st.sampled_from(["ints", "ints", "same", "valid"]))
        if mode == "ints":
            kwargs["padding"] = padding
        else:
            kwargs["padding"] = mode
            if mode == "same":
                kwargs["stride"] = 1
            else:
                padding = (0,) * nd
        if mode != "same":
            assume(all(h + 2 * p >= d * (k - 1) + 1 for h, p, d, k in
                       zip(size, padding, dilation, kernel)))
        w_shape = (c_out, c_in // groups) + kernel
    return batch + (c_in,) + size, w_shape, draw(st.booleans()), kwargs


def _conv_case(name, shapes, seed):
    x_shape, w_shape, bias, kwargs = shapes
    channels = w_shape[1] * kwargs["groups"] if name.startswith("conv_transpose") else w_shape[0]
    b = normal((channels,), seed + 2) if bias else None
    return normal(x_shape, seed), normal(w_shape, seed + 1), b, kwargs


def _check_conv(name, shapes, seed):
    x, w, b, kwargs = _conv_case(name, shapes, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # padding='same' with an even kernel
        if b is None:
            compare(lambda lib, x, w: getattr(F(lib), name)(x, w, None, **kwargs), x, w,
                    rtol=1e-7, atol=1e-9)
        else:
            compare(lambda lib, x, w, b: getattr(F(lib), name)(x, w, b, **kwargs), x, w, b,
                    rtol=1e-7, atol=1e-9)


# ---------------------------------------------------------------- functions against torch


@SETTINGS
@given(shapes=convolutions(2), seed=st.integers(0, 1000))
def test_conv2d_matches_torch(shapes, seed):
    _check_conv("conv2d", shapes, seed)


@SETTINGS
@given(shapes=convolutions(1), seed=st.integers(0, 1000))
def test_conv1d_matches_torch(shapes, seed):
    _check_conv("conv1d", shapes, seed)


@settings(max_examples=12, deadline=None)
@given(shapes=convolutions(3), seed=st.integers(0, 1000))
def test_conv3d_matches_torch(shapes, seed):
    _check_conv("conv3d", shapes, seed)


@SETTINGS
@given(shapes=convolutions(2, transposed=True), seed=st.integers(0, 1000))
def test_conv_transpose2d_matches_torch(shapes, seed):
    _check_conv("conv_transpose2d", shapes, seed)


@SETTINGS
@given(shapes=convolutions(1, transposed=True), seed=st.integers(0, 1000))
def test_conv_transpose1d_matches_torch(shapes, seed):
    _check_conv("conv_transpose1d", shapes, seed)


@settings(max_examples=10, deadline=None)
@given(shapes=convolutions(3, transposed=True), seed=st.integers(0, 1000))
def test_conv_transpose3d_matches_torch(shapes, seed):
    _check_conv("conv_transpose3d", shapes, seed)


def test_conv2d_float32_lenet_shapes():
    x, w, b = (normal((8, 1, 28, 28), 0, np.float32), normal((6, 1, 5, 5), 1, np.float32),
               normal((6,), 2, np.float32))
    compare(lambda lib, x, w, b: F(lib).conv2d(x, w, b, padding=2), x, w, b, rtol=1e-4,
            atol=1e-4)
    x, w = normal((8, 6, 14, 14), 3, np.float32), normal((16, 6, 5, 5), 4, np.float32)
    compare(lambda lib, x, w: F(lib).conv2d(x, w), x, w, rtol=1e-4, atol=1e-4)


def test_conv_integer_inputs():
    x = (np.arange(2 * 3 * 5 * 5).reshape(2, 3, 5, 5) % 7 - 3).astype(np.int64)
    w = (np.arange(4 * 3 * 2 * 2).reshape(4, 3, 2, 2) % 5 - 2).astype(np.int64)
    e, t = (F(lib).conv2d(lib.tensor(x), lib.tensor(w), stride=2, padding=1)
            for lib in (ember, torch))
    assert e.dtype == ember.int64
    np.testing.assert_array_equal(arr(e), arr(t))


def test_conv_empty_batch():
    x, w = np.zeros((0, 3, 8, 8)), normal((8, 3, 3, 3))
    compare(lambda lib, x, w: F(lib).conv2d(x, w), x, w)


def test_conv_output_is_contiguous_and_bias_broadcast():
    out = F(ember).conv2d(ember.ones(2, 1, 4, 4), ember.ones(3, 1, 2, 2), ember.tensor([0., 1,
                                                                                       2]))
    assert out.is_contiguous()
    assert out[:, :, 0, 0].tolist() == [[4.0, 5.0, 6.0], [4.0, 5.0, 6.0]]


@pytest.mark.parametrize("name, x_shape, w_shape, kwargs", [
    ("conv2d", (1, 4, 5, 6), (4, 2, 3, 2), dict(stride=2, padding=1, dilation=(1, 2), groups=2)),
    ("conv1d", (2, 2, 7), (3, 2, 3), dict(stride=2, padding=2)),
    ("conv3d", (1, 2, 4, 3, 4), (2, 1, 2, 2, 3), dict(padding=(1, 0, 1), groups=2)),
    ("conv_transpose2d", (1, 4, 3, 4), (4, 1, 3, 2),
     dict(stride=2, padding=1, output_padding=1, groups=2)),
    ("conv_transpose1d", (2, 3, 4), (3, 2, 3), dict(stride=3, dilation=2, output_padding=2)),
])
def test_second_derivatives_match_torch(name, x_shape, w_shape, kwargs):
    compare(lambda lib, x, w: getattr(F(lib), name)(x, w, **kwargs).tanh(),
            normal(x_shape, 1), normal(w_shape, 2), rtol=1e-7, atol=1e-9, double=True)


@pytest.mark.parametrize("name, x_shape, w_shape, kwargs", [
    ("conv2d", (1, 4, 5, 4), (4, 2, 2, 3), dict(stride=(2, 1), padding=1, dilation=(2, 1),
                                               groups=2)),
    ("conv2d", (2, 5, 5), (2, 2, 2, 2), dict(padding="same")),
    ("conv1d", (2, 2, 6), (2, 2, 3), dict(stride=2, padding=1, dilation=2)),
    ("conv3d", (1, 1, 3, 3, 3), (2, 1, 2, 2, 2), dict(padding=1, stride=2)),
    ("conv_transpose2d", (1, 2, 3, 2), (2, 2, 2, 3), dict(stride=2, padding=1, output_padding=1)),
    ("conv_transpose1d", (1, 2, 3), (2, 1, 3), dict(stride=2, dilation=2, groups=2)),
    ("conv_transpose3d", (1, 1, 2, 2, 2), (1, 2, 2, 2, 2), dict(stride=2)),
])
def test_gradcheck(name, x_shape, w_shape, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gradcheck(lambda lib, x, w, b: getattr(F(lib), name)(x, w, b, **kwargs),
                  normal(x_shape, 3), normal(w_shape, 4),
                  normal((w_shape[1] * kwargs.get("groups", 1) if "transpose" in name
                          else w_shape[0],), 5))


def test_same_padding_even_kernel_warns_like_torch():
    message = ("Using padding='same' with even kernel lengths and odd dilation may require a "
               "zero-padded copy of the input be created")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        F(ember).conv1d(ember.ones(1, 1, 11), ember.ones(1, 1, 4), padding="same")
    assert [str(w.message) for w in caught] == [message]
    x = np.zeros((1, 1, 6))
    x[0, 0, 0] = 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(lambda lib: F(lib).conv1d(lib.tensor(x), lib.ones(1, 1, 4, dtype=lib.float64),
                                       padding="same").tolist())


# ---------------------------------------------------------------- errors


W8 = (8, 3, 3, 3)


@pytest.mark.parametrize("call", [
    lambda F, t: F.conv2d(t((1, 1, 8, 8)), t(W8)),
    lambda F, t: F.conv2d(t((1, 3, 2, 2)), t(W8)),
    lambda F, t: F.conv2d(t((1, 3, 4, 4)), t(W8), dilation=2),
    lambda F, t: F.conv1d(t((1, 3, 2)), t((2, 3, 3))),
    lambda F, t: F.conv3d(t((1, 3, 2, 4, 4)), t((2, 3, 3, 3, 3))),
    lambda F, t: F.conv2d(t((1, 4, 8, 8)), t((3, 2, 3, 3)), groups=2),
    lambda F, t: F.conv2d(t((1, 4, 8, 8)), t((4, 1, 3, 3)), groups=2),
    lambda F, t: F.conv2d(t((1, 4, 8, 8)), t((2, 1, 3, 3)), groups=4),
    lambda F, t: F.conv2d(t((1, 4, 8, 8)), t((4, 1, 3, 3)), groups=0),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t((4, 3, 3))),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t((4, 3, 3)), stride=[1]),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t((4, 3, 3)), stride=[1], padding=[1], dilation=[1]),
    lambda F, t: F.conv2d(t((8, 8)), t(W8)),
    lambda F, t: F.conv2d(t((1, 1, 3, 8, 8)), t(W8)),
    lambda F, t: F.conv1d(t((8,)), t((2, 1, 3))),
    lambda F, t: F.conv1d(t((1, 3, 8)), t((2, 3))),
    lambda F, t: F.conv3d(t((3, 8)), t((2, 3, 1, 1, 1))),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), t((3,))),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), t((1, 8))),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), stride=0),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), stride=-1),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), padding=-1),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), dilation=0),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), dilation=-1),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), dilation=0, stride=0),
    lambda F, t: F.conv1d(t((2, 3, 8)), t((8, 3, 3)), dilation=(0,)),
    lambda F, t: F.conv1d(t((1, 3, 8)), t((8, 3, 3)), dilation=(0,)),
    lambda F, t: F.conv2d(t((2, 3, 8, 8), "float64"), t(W8, "float64"), dilation=(1, 0)),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), stride=(1, 1, 1)),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), stride=()),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), padding=(1, 1, 1)),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), padding="same", stride=2),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), padding="same", stride=(2, 1, 1)),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), padding="same", dilation=(1, 1, 1)),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), padding="foo"),
    lambda F, t: F.conv2d(t((1, 2, 8, 8)), t((8, 3, 2, 2)), padding="same"),
    lambda F, t: F.conv2d(t((1, 3, 8, 8), "float64"), t(W8)),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8, "float64")),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t(W8), t((8,), "float64")),
    lambda F, t: F.conv2d(t((1, 3, 2, 2)), t(W8), t((8,), "float64")),
    lambda F, t: F.conv2d(t((1, 3, 8, 8), "float64"), t(W8), t((8,), "float64")),
    lambda F, t: F.conv2d(t((1, 3, 8, 8), "float64"), t(W8), dilation=0),
    lambda F, t: F.conv2d(t((1, 3, 8, 8), "int64"), t(W8, "int64"), t((8,))),
    lambda F, t: F.conv2d(t((1, 3, 8, 8), "bool"), t(W8, "bool")),
    lambda F, t: F.conv2d(t((1, 3, 8, 8)), t((0, 3, 3, 3))),
    lambda F, t: F.conv_transpose2d(t((1, 1, 8, 8)), t(W8)),
    lambda F, t: F.conv_transpose2d(t((1, 8, 4, 4)), t(W8), stride=2, output_padding=2),
    lambda F, t: F.conv_transpose2d(t((1, 8, 4, 4)), t(W8), output_padding=1),
    lambda F, t: F.conv_transpose2d(t((1, 8, 4, 4)), t(W8), output_padding=-1),
    lambda F, t: F.conv_transpose2d(t((1, 8, 4, 4)), t(W8), t((8,))),
    lambda F, t: F.conv_transpose2d(t((1, 8, 1, 1)), t(W8), padding=3),
    lambda F, t: F.conv_transpose2d(t((1, 8, 4, 4)), t(W8), groups=3),
    lambda F, t: F.conv_transpose2d(t((1, 8, 4, 4)), t(W8), padding="same"),
    lambda F, t: F.conv_transpose2d(t((1, 8, 4, 4)), t(W8), dilation=0),
    lambda F, t: F.conv_transpose2d(t((8, 8)), t(W8)),
    lambda F, t: F.conv_transpose1d(t((1, 3, 8)), t((3, 3, 3)), stride=2, output_padding=2),
    lambda F, t: F.conv_transpose1d(t((1, 3, 8)), t((3, 3, 3)), dilation=0),
    lambda F, t: F.conv_transpose1d(t((1, 3, 8)), t((3, 3, 3)), padding=9),
    lambda F, t: F.conv_transpose3d(t((1, 3, 1, 8, 8)), t((3, 3, 1, 3, 3)), padding=9),
    lambda F, t: F.conv_transpose3d(t((1, 3, 1, 8, 8)), t((3, 3, 1, 3, 3)), dilation=0),
    lambda F, t: F.conv_transpose3d(t((1, 3, 2, 8, 8)), t((3, 3, 1, 3, 3)), stride=2,
                                    output_padding=2),
])
def test_errors_match_torch(call):
    def run(lib):
        def t(shape, dtype="float32"):
            return lib.zeros(shape, dtype=getattr(lib, dtype))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call(F(lib), t)
    same_error(lambda lib: run(lib))


# ---------------------------------------------------------------- F.pad


@SETTINGS
@given(mode=st.sampled_from(["constant", "reflect", "replicate", "circular"]),
       k=st.integers(1, 3), batched=st.booleans(), data=st.data())
def test_pad_matches_torch(mode, k, batched, data):
    sizes = data.draw(st.lists(st.integers(2, 5), min_size=k, max_size=k))
    shape = ((2,) if batched else ()) + (2,) + tuple(sizes)
    pad = []
    for n in reversed(sizes):
        # negative amounts crop (torch's circular padding misreads memory when it also crops)
        low, high = {"constant": (-n // 2, 3), "reflect": (-1, n - 1), "replicate": (-1, 3),
                     "circular": (0, n)}[mode]
        pad += [data.draw(st.integers(low, high)) for _ in range(2)]
    value = data.draw(st.sampled_from([None, 0.0, 2.5])) if mode == "constant" else None
    compare(lambda lib, x: F(lib).pad(x, pad, mode=mode, value=value), normal(shape, k))


@pytest.mark.parametrize("pad", [(-1, 1), (1, -1), (2, -1), (-1, -1)])
def test_circular_pad_of_a_cropped_side(pad):
    compare(lambda lib, x: F(lib).pad(x, pad, mode="circular"), normal((1, 2, 4)))


def test_constant_pad_nd_and_integer_values():
    same(lambda lib: lib.constant_pad_nd(lib.arange(6).reshape(2, 3), (1, -1, 0, 1), 7)
         .tolist())
    same(lambda lib: F(lib).pad(lib.arange(4), (1, 1), value=2.5).tolist())


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
def test_pad_gradcheck(mode):
    gradcheck(lambda lib, x: F(lib).pad(x, (2, 1, 1, -1), mode=mode).sin(),
              normal((1, 2, 3, 4)))


@pytest.mark.parametrize("call", [
    lambda F, x: F.pad(x, (1,)),
    lambda F, x: F.pad(x, (1,) * 10),
    lambda F, x: F.pad(x, (-3, -2)),
    lambda F, x: F.pad(x, (1, 1), mode="reflect"),
    lambda F, x: F.pad(x[0], (4, 1), mode="reflect"),
    lambda F, x: F.pad(x[0], (0, 0, 3, 1), mode="reflect"),
    lambda F, x: F.pad(x[0], (5, 1), mode="circular"),
    lambda F, x: F.pad(x[0, 0, 0], (1, 1), mode="replicate"),
    lambda F, x: F.pad(x, (1, 1), mode="foo"),
    lambda F, x: F.pad(x, (1, 1, 1, 1), mode="reflect", value=2.0),
    lambda F, x: F.pad(x[:, :, :0], (1, 1, 1, 1), mode="reflect"),
    lambda F, x: F.pad(x, (1.5, 1)),
])
def test_pad_errors_match_torch(call):
    same_error(lambda lib, x: call(F(lib), x), np.zeros((1, 2, 3, 4)))


# ---------------------------------------------------------------- modules


def copy_parameters(src, dst):
    """torch module ``src``'s parameter values into the ember module ``dst``."""
    with ember.no_grad():
        for (name, p), (name2, q) in zip(src.named_parameters(), dst.named_parameters()):
            assert name == name2
            q.copy_(ember.tensor(arr(p)))


@pytest.mark.parametrize("make, x_shape, kwargs", [
    ("Conv2d", (2, 1, 9, 9), dict(in_channels=1, out_channels=6, kernel_size=5, padding=2)),
    ("Conv2d", (4, 7, 7), dict(in_channels=4, out_channels=2, kernel_size=(3, 2), stride=2,
                               groups=2, bias=False)),
    ("Conv2d", (1, 2, 6, 5), dict(in_channels=2, out_channels=2, kernel_size=3,
                                  padding="same", padding_mode="reflect")),
    ("Conv2d", (1, 2, 6, 5), dict(in_channels=2, out_channels=3, kernel_size=2, padding=1,
                                  padding_mode="replicate")),
    ("Conv2d", (1, 2, 6, 5), dict(in_channels=2, out_channels=3, kernel_size=3, padding=(1, 2),
                                  padding_mode="circular", dilation=(1, 2))),
    ("Conv1d", (2, 3, 10), dict(in_channels=3, out_channels=4, kernel_size=3, padding="same",
                                dilation=2)),
    ("Conv3d", (1, 2, 4, 4, 4), dict(in_channels=2, out_channels=2, kernel_size=2, stride=2)),
    ("ConvTranspose2d", (2, 4, 3, 3), dict(in_channels=4, out_channels=2, kernel_size=3,
                                           stride=2, padding=1, output_padding=1)),
    ("ConvTranspose1d", (3, 5), dict(in_channels=3, out_channels=2, kernel_size=2, stride=2)),
    ("ConvTranspose3d", (1, 2, 2, 2, 2), dict(in_channels=2, out_channels=4, kernel_size=2,
                                              groups=2)),
])
def test_modules_match_torch(make, x_shape, kwargs):
    t_layer = getattr(torch.nn, make)(**kwargs).double()
    e_layer = getattr(ember.nn, make)(**kwargs).double()
    copy_parameters(t_layer, e_layer)
    assert repr(e_layer) == repr(t_layer)
    assert list(e_layer.state_dict()) == list(t_layer.state_dict())
    x = normal(x_shape, 5)
    xe, xt = ember.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ye, yt = e_layer(xe), t_layer(xt)
    assert_close(ye, yt, rtol=1e-7, atol=1e-9)
    assert node_name(ye) == node_name(yt)
    g = normal(tuple(yt.shape), 6)
    ye.backward(ember.tensor(g))
    yt.backward(torch.tensor(g))
    assert_close(xe.grad, xt.grad, rtol=1e-7, atol=1e-9)
    for (_, p), (_, q) in zip(e_layer.named_parameters(), t_layer.named_parameters()):
        assert_close(p.grad, q.grad, rtol=1e-7, atol=1e-9)


def test_conv_transpose_output_size_matches_torch():
    t_layer = torch.nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1).double()
    e_layer = ember.nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1).double()
    copy_parameters(t_layer, e_layer)
    x = normal((1, 2, 4, 4))
    for size in ([8, 8], [1, 3, 7, 8], (7, 7)):
        assert_close(e_layer(ember.tensor(x), output_size=size),
                     t_layer(torch.tensor(x), output_size=size), rtol=1e-7, atol=1e-9)
    same_error(lambda lib: getattr(lib.nn, "ConvTranspose2d")(2, 3, 3, stride=2)(
        lib.zeros(1, 2, 4, 4), output_size=[20, 20]))
    same_error(lambda lib: getattr(lib.nn, "ConvTranspose2d")(2, 3, 3, stride=2)(
        lib.zeros(1, 2, 4, 4), output_size=[9]))


@pytest.mark.parametrize("make", [
    lambda nn: nn.Conv2d(1, 6, 5, padding=2),
    lambda nn: nn.Conv2d(6, 16, 5),
    lambda nn: nn.Conv2d(2, 4, 3, padding="same", bias=False, padding_mode="reflect",
                         groups=2),
    lambda nn: nn.Conv2d(2, 2, (3, 1), stride=(2, 1), dilation=(1, 2), padding="valid"),
    lambda nn: nn.Conv1d(2, 3, (3,)),
    lambda nn: nn.Conv1d(2, 3, 3, padding_mode="circular", padding=1),
    lambda nn: nn.Conv3d(1, 1, [1, 2, 3], padding="valid"),
    lambda nn: nn.ConvTranspose2d(2, 3, 3, stride=2, output_padding=1),
    lambda nn: nn.ConvTranspose1d(2, 2, 3, dilation=2, groups=2, bias=False),
    lambda nn: nn.ConvTranspose3d(1, 2, 2),
])
def test_module_reprs_shapes_and_state_dict(make):
    same(lambda lib: repr(make(lib.nn)))
    same(lambda lib: [(k, tuple(v.shape)) for k, v in make(lib.nn).state_dict().items()])
    same(lambda lib: (make(lib.nn).kernel_size, make(lib.nn).stride, make(lib.nn).padding,
                      make(lib.nn)._reversed_padding_repeated_twice))


@pytest.mark.parametrize("make, fan_in", [
    (lambda nn: nn.Conv2d(6, 16, 5), 6 * 25),
    (lambda nn: nn.Conv2d(4, 8, 3, groups=2), 2 * 9),
    (lambda nn: nn.ConvTranspose2d(8, 6, 3, groups=2), 3 * 9),
    (lambda nn: nn.Conv1d(3, 200, 4), 3 * 4),
])
def test_default_initialisation_bounds(make, fan_in):
    layer = make(ember.nn)
    bound = 1 / math.sqrt(fan_in)       # kaiming_uniform_(a=sqrt(5)) on this fan_in
    w, b = arr(layer.weight), arr(layer.bias)
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.8 * bound               # uniform, not shrunk
    assert abs(w.mean()) < 0.2 * bound
    assert np.unique(w).size == w.size


@pytest.mark.parametrize("make", [
    lambda nn: nn.Conv2d(4, 4, 3, groups=0),
    lambda nn: nn.Conv2d(3, 4, 3, groups=2),
    lambda nn: nn.Conv2d(4, 3, 3, groups=2),
    lambda nn: nn.Conv2d(4, 4, 3, padding="full"),
    lambda nn: nn.Conv2d(4, 4, 3, padding="same", stride=2),
    lambda nn: nn.ConvTranspose2d(4, 4, 3, padding_mode="reflect"),
])
def test_module_errors_match_torch(make):
    same_error(lambda lib: make(lib.nn))


def test_padding_mode_error_lists_the_modes():
    """torch prints a set of the four modes, whose order varies from process to process."""
    def error(lib):
        kind, message = error_of(lambda: lib.nn.Conv2d(4, 4, 3, padding_mode="mirror"))
        head, listed, tail = re.match(r"(.*\{)(.*)(\}.*)", message).groups()
        return kind, head, sorted(listed.split(", ")), tail
    same(error)


def test_lenet_trains_like_torch():
    """One SGD step of the benchmark's network (parameters copied) gives torch's loss and
    parameters."""
    def net(lib):
        nn = lib.nn
        return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(400, 10))
    t_net, e_net = net(torch), net(ember)
    copy_parameters(t_net, e_net)
    x, y = normal((4, 1, 28, 28), 1, np.float32), np.array([1, 2, 3, 4])
    losses = []
    for lib, model in ((ember, e_net), (torch, t_net)):
        optimizer = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        loss = lib.nn.CrossEntropyLoss()(model(lib.tensor(x)), lib.tensor(y))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[0] == pytest.approx(losses[1], rel=1e-5)
    for (_, p), (_, q) in zip(e_net.named_parameters(), t_net.named_parameters()):
        assert_close(p, q, rtol=1e-4, atol=1e-5)
