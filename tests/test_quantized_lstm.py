"""quantize_dynamic on nn.LSTM (ember/ao/nn/quantized/dynamic/rnn.py) against torch: the class,
repr, quantized weights, outputs within a quantization step, state dicts and files, errors."""
import io
import warnings

import numpy as np
import pytest

import ember
import ember.ao.quantization as eq
from parity import error_of

torch = pytest.importorskip("torch")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import torch.ao.quantization as tq

warnings.filterwarnings("ignore", message=".*(quantiz|reduce_range|deprecated).*")

CONFIGS = [dict(), dict(num_layers=2), dict(bidirectional=True, batch_first=True),
           dict(num_layers=2, bidirectional=True, dropout=0.5)]


def _pair(spec=None, **kwargs):
    """The same float model (an LSTM, then a Linear) in torch and ember, quantized by each."""
    torch.manual_seed(0)
    tm = torch.nn.Sequential(torch.nn.LSTM(4, 5, **kwargs))
    em = ember.nn.Sequential(ember.nn.LSTM(4, 5, **kwargs))
    em.load_state_dict({k: ember.tensor(v.numpy()) for k, v in tm.state_dict().items()})
    tspec = None if spec is None else {getattr(torch.nn, n) for n in spec}
    espec = None if spec is None else {getattr(ember.nn, n) for n in spec}
    return (eq.quantize_dynamic(em, espec, dtype=ember.qint8),
            tq.quantize_dynamic(tm, tspec, dtype=torch.qint8), tm)


def _input(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_lstm_becomes_the_dynamic_quantized_lstm(kwargs):
    qe, qt, _ = _pair(["LSTM", "Linear"], **kwargs)
    assert repr(qe) == repr(qt)
    assert type(qe[0]) is ember.nn.quantized.dynamic.LSTM
    assert type(qe[0]) is ember.ao.nn.quantized.dynamic.LSTM
    assert not isinstance(qe[0], ember.nn.LSTM)
    assert list(qe.state_dict()) == list(qt.state_dict())
    assert [n for n, _ in qe.named_modules()] == [n for n, _ in qt.named_modules()]
    assert list(qe.parameters()) == [] and qe[0].training == qt[0].training
    we, wt = qe[0].get_weight(), qt[0].get_weight()
    assert list(we) == list(wt)
    for name in wt:
        assert np.array_equal(we[name].int_repr().numpy(), wt[name].int_repr().numpy())
        assert (we[name].q_scale(), we[name].q_zero_point()) == (wt[name].q_scale(),
                                                                 wt[name].q_zero_point())
        assert repr(we[name].qscheme()) == repr(wt[name].qscheme())
    be, bt = qe[0].get_bias(), qt[0].get_bias()
    assert list(be) == list(bt)
    assert all(np.array_equal(be[k].detach().numpy(), bt[k].detach().numpy()) for k in bt)


@pytest.mark.parametrize("kwargs", CONFIGS)
@pytest.mark.parametrize("with_state", [False, True])
def test_outputs_within_one_quantization_step_of_torch(kwargs, with_state):
    qe, qt, tm = _pair(["LSTM"], **kwargs)
    shape = (3, 6, 4) if kwargs.get("batch_first") else (6, 3, 4)
    x = _input(shape)
    layers = kwargs.get("num_layers", 1) * (2 if kwargs.get("bidirectional") else 1)
    states = (_input((layers, 3, 5), 1), _input((layers, 3, 5), 2)) if with_state else None
    ye, (he, ce) = qe[0](ember.tensor(x), None if states is None else
                         tuple(ember.tensor(s) for s in states))
    yt, (ht, ct) = qt[0](torch.tensor(x), None if states is None else
                         tuple(torch.tensor(s) for s in states))
    assert ye.shape == yt.shape and he.shape == ht.shape and ce.shape == ct.shape
    assert ye.dtype == ember.float32
    # one step of the gates' quantized products bounds the difference (here it is float noise)
    step = 2.0 ** -7
    for e, t in ((ye, yt), (he, ht), (ce, ct)):
        assert np.abs(e.numpy() - t.detach().numpy()).max() <= step
    # and the float model is approximated, as torch approximates it
    yf = tm[0](torch.tensor(x), None if states is None else
               tuple(torch.tensor(s) for s in states))[0].detach().numpy()
    assert np.abs(ye.numpy() - yf).max() <= 2 * np.abs(yt.detach().numpy() - yf).max() + step


def test_default_spec_quantizes_lstm_and_linear():
    torch.manual_seed(0)
    em = ember.nn.Sequential(ember.nn.LSTM(4, 5), ember.nn.Linear(5, 2))
    tm = torch.nn.Sequential(torch.nn.LSTM(4, 5), torch.nn.Linear(5, 2))
    assert repr(eq.quantize_dynamic(em)) == repr(tq.quantize_dynamic(tm))


def test_state_dict_round_trip_in_ember_files():
    qe, _, _ = _pair(["LSTM"], num_layers=2)
    buffer = io.BytesIO()
    ember.save(qe.state_dict(), buffer)
    buffer.seek(0)
    ember.manual_seed(1)
    other = eq.quantize_dynamic(ember.nn.Sequential(ember.nn.LSTM(4, 5, num_layers=2)),
                                {ember.nn.LSTM}, dtype=ember.qint8)
    x = ember.tensor(_input((6, 3, 4)))
    assert not ember.equal(other[0](x)[0], qe[0](x)[0])
    assert str(other.load_state_dict(ember.load(buffer))) == "<All keys matched successfully>"
    assert ember.equal(other[0](x)[0], qe[0](x)[0])


def test_torch_files_of_quantized_lstms_are_refused_without_running_code():
    _, qt, _ = _pair(["LSTM"])
    buffer = io.BytesIO()
    torch.save(qt.state_dict(), buffer)
    buffer.seek(0)
    with pytest.raises(Exception, match="torch.ScriptObject.*nothing from the file was run"):
        ember.load(buffer)


def test_a_foreign_state_dict_entry_is_refused_clearly():
    qe, _, _ = _pair(["LSTM"])
    with pytest.raises(RuntimeError, match="TorchScript objects, which ember does not load"):
        qe.load_state_dict({"0._all_weight_values.0.param": ember.ones(2)})


@pytest.mark.parametrize("call", [
    lambda lib, q: q(lib.ones(6, 3, 4, dtype=lib.float64)),
    lambda lib, q: q(lib.ones(6, 3, 3)),
    lambda lib, q: q(lib.ones(6)), lambda lib, q: q(lib.ones(6, 4)),
    lambda lib, q: q(lib.ones(6, 3, 4), (lib.zeros(1, 2, 5), lib.zeros(1, 3, 5))),
])
def test_errors_as_torch(call):
    qe, qt, _ = _pair(["LSTM"])
    e = error_of(lambda: call(ember, qe[0]))
    t = error_of(lambda: call(torch, qt[0]))
    assert e == t and e is not None


def test_lstm_without_bias_is_refused_as_torch():
    def run(lib, ns):
        model = lib.nn.Sequential(lib.nn.LSTM(4, 5, bias=False))
        return error_of(lambda: ns.quantize_dynamic(model, {lib.nn.LSTM}, dtype=lib.qint8))
    assert run(ember, eq) == run(torch, tq) != None          # noqa: E711
