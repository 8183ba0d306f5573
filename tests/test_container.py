"""Sequential, ModuleList, ModuleDict, ParameterList and ParameterDict against torch."""
import types
from collections import OrderedDict

import pytest

import ember

torch = pytest.importorskip("torch")


def both(fn):
    return fn(ember), fn(torch)


def error_of(fn):
    """(exception type, message) of what ``fn()`` raised, or None ('ember.' read as 'torch.')."""
    try:
        fn()
    except Exception as e:            # noqa: BLE001 - we compare whatever was raised
        return type(e).__name__, str(e).replace("ember.", "torch.")
    return None


def same(fn):
    e, t = both(fn)
    assert e == t
    return e


def same_error(fn):
    e, t = both(lambda lib: error_of(lambda: fn(lib)))
    assert t is not None, "torch raised nothing"
    assert e == t


def layers(lib):
    """Small modules without parameters of their own, and a Linear."""
    nn = lib.nn
    ns = types.SimpleNamespace()

    class Double(nn.Module):
        def forward(self, x):
            return x * 2

    class Shift(nn.Module):
        def __init__(self, by=1.0):
            super().__init__()
            self.by = by

        def forward(self, x):
            return x + self.by

        def extra_repr(self):
            return "by={}".format(self.by)

    class Square(nn.Module):
        def forward(self, x):
            return x * x

    ns.Double, ns.Shift, ns.Square = Double, Shift, Square
    ns.Linear = nn.Linear
    return ns


def arr(t):
    return t.detach().numpy().copy()


def fixed_linear(lib, n_in, n_out):
    lin = lib.nn.Linear(n_in, n_out)
    with lib.no_grad():
        lin.weight.copy_(lib.arange(float(n_in * n_out)).reshape(n_out, n_in) / 10 - 0.3)
        lin.bias.copy_(lib.arange(float(n_out)) / 5)
    return lin


# ---------------------------------------------------------------- Sequential


def test_sequential_forward_repr_and_state_dict():
    def run(lib):
        ns = layers(lib)
        seq = lib.nn.Sequential(fixed_linear(lib, 2, 3), ns.Double(),
                                lib.nn.Sequential(fixed_linear(lib, 3, 1), ns.Shift(0.5)))
        x = lib.tensor([[1.0, -2.0], [0.5, 4.0]], requires_grad=True)
        out = seq(x)
        out.sum().backward()
        return (repr(seq), arr(out).tolist(), type(out.grad_fn).__name__, arr(x.grad).tolist(),
                list(seq.state_dict()), list(seq.state_dict()._metadata), len(seq),
                [type(m).__name__ for m in seq], repr(lib.nn.Sequential()),
                arr(lib.nn.Sequential()(x)).tolist())
    same(run)


def test_sequential_from_ordered_dict_and_indexing():
    def run(lib):
        ns = layers(lib)
        seq = lib.nn.Sequential(OrderedDict([("fc", ns.Linear(2, 3)), ("act", ns.Double()),
                                             ("sq", ns.Square())]))
        return (repr(seq), repr(seq[0:2]), repr(seq[::-1]), repr(seq[::2]), repr(seq[-1]),
                type(seq[1:]).__name__, seq[0] is seq.fc, list(seq.state_dict()))
    same(run)


@pytest.mark.parametrize("index", [3, -4, "a", 1.0])
def test_sequential_index_errors(index):
    same_error(lambda lib: lib.nn.Sequential(layers(lib).Double(), layers(lib).Square(),
                                             layers(lib).Shift())[index])


def test_sequential_mutation():
    def run(lib):
        ns = layers(lib)
        out = []
        seq = lib.nn.Sequential(ns.Double(), ns.Square(), ns.Shift(), ns.Shift(2.0))
        out.append(repr(seq.pop(0)))
        out.append(repr(seq))
        del seq[1:3]
        out.append(repr(seq))
        seq[0] = ns.Shift(3.0)
        seq.append(ns.Double())
        seq.insert(1, ns.Square())
        seq.insert(-1, ns.Shift(-1.0))
        seq.insert(len(seq), ns.Square())
        seq.extend([ns.Double(), ns.Shift(5.0)])
        out.append(repr(seq))
        del seq[-1]
        out.append(list(seq._modules))
        named = lib.nn.Sequential(OrderedDict([("a", ns.Double()), ("b", ns.Square())]))
        named.append(ns.Shift())
        out.append(repr(named))
        del named[0]
        out.append(repr(named))                      # deleting renumbers the keys
        return out
    same(run)


@pytest.mark.parametrize("case", [
    lambda lib, s, ns: s.pop(5),
    lambda lib, s, ns: s.__setitem__(5, ns.Double()),
    lambda lib, s, ns: s.__setitem__(0, 3),
    lambda lib, s, ns: s.append(3),
    lambda lib, s, ns: s.insert(10, ns.Double()),
    lambda lib, s, ns: s.insert(-10, ns.Double()),
    lambda lib, s, ns: s.insert(1, 3),
    lambda lib, s, ns: lib.nn.Sequential(OrderedDict([("a", ns.Double())]), ns.Double()),
    lambda lib, s, ns: lib.nn.Sequential(3),
    lambda lib, s, ns: lib.nn.Sequential(OrderedDict([("a", 3)])),
    lambda lib, s, ns: s + [ns.Double()],
    lambda lib, s, ns: s.__iadd__([ns.Double()]),
    lambda lib, s, ns: s * 0,
    lambda lib, s, ns: s * -1,
    lambda lib, s, ns: s * 1.5,
], ids=lambda case: None)
def test_sequential_errors(case):
    def run(lib):
        ns = layers(lib)
        return case(lib, lib.nn.Sequential(ns.Double(), ns.Square()), ns)
    same_error(run)


def test_sequential_operators():
    def run(lib):
        ns = layers(lib)
        a = lib.nn.Sequential(ns.Double())
        b = lib.nn.Sequential(ns.Square(), ns.Shift())
        c = a + b
        d = b * 2
        e = 2 * a
        f = lib.nn.Sequential(ns.Double())
        f += b
        g = lib.nn.Sequential(ns.Double(), ns.Shift())
        g *= 3
        return (repr(c), repr(d), repr(e), repr(f), repr(g), d[0] is d[2],
                arr(d(lib.tensor([1.0, 2.0]))).tolist())
    same(run)


# ---------------------------------------------------------------- ModuleList


def test_module_list_repr_compresses_repeats():
    def run(lib):
        ns = layers(lib)
        nn = lib.nn

        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(2, 3)

        ml = nn.ModuleList([nn.Linear(2, 3), nn.Linear(2, 3), nn.Linear(2, 3), ns.Double(),
                            nn.Linear(3, 3), Block(), Block(), ns.Double()])
        return repr(ml), repr(nn.ModuleList()), repr(nn.ModuleList([ns.Square()]))
    same(run)


def test_module_list_behaviour():
    def run(lib):
        ns = layers(lib)
        nn = lib.nn
        ml = nn.ModuleList([ns.Double(), ns.Square()])
        out = [len(ml), repr(ml[::-1]), repr(ml[-1]), type(ml[:1]).__name__]
        ml.append(ns.Shift())
        ml.extend([ns.Shift(2.0)])
        ml += [ns.Double()]
        ml.insert(1, ns.Shift(-1.0))
        ml.insert(10, ns.Square())
        out.append(repr(ml))
        out.append(repr(ml.pop(0)))
        del ml[0:2]
        out.append(repr(ml))
        out.append(list(ml._modules))
        ml[0] = ns.Shift(7.0)
        out.append(repr(ml + [ns.Double()]))
        out.append(repr(ml + nn.ModuleList([ns.Square()])))
        holder = nn.Module()
        holder.layers = nn.ModuleList([nn.Linear(1, 1), nn.Linear(1, 2)])
        out.append(list(holder.state_dict()))
        out.append([name for name in dir(ml) if name.isdigit()])
        return out
    same(run)


@pytest.mark.parametrize("case", [
    lambda lib, ml, ns: ml[2],
    lambda lib, ml, ns: ml[-3],
    lambda lib, ml, ns: ml["a"],
    lambda lib, ml, ns: ml.extend(3),
    lambda lib, ml, ns: ml.extend(ns.Double()),
    lambda lib, ml, ns: ml.append(3),
    lambda lib, ml, ns: lib.nn.ModuleList([3]),
    lambda lib, ml, ns: ml(1),
    lambda lib, ml, ns: ml.__setitem__(5, ns.Double()),
], ids=lambda case: None)
def test_module_list_errors(case):
    def run(lib):
        ns = layers(lib)
        return case(lib, lib.nn.ModuleList([ns.Double(), ns.Square()]), ns)
    same_error(run)


# ---------------------------------------------------------------- ModuleDict


def test_module_dict():
    def run(lib):
        ns = layers(lib)
        nn = lib.nn
        md = nn.ModuleDict({"b": ns.Double(), "a": nn.Linear(1, 2)})
        out = [list(md.keys()), "a" in md, len(md), repr(md), list(md), type(md.values()).__name__]
        out.append(repr(md.pop("b")))
        md.update([("x", ns.Square())])
        md.update(nn.ModuleDict({"y": ns.Shift()}))
        md.update(OrderedDict([("z", ns.Double())]))
        md["w"] = ns.Shift(4.0)
        del md["x"]
        out.append(repr(md))
        out.append(list(md.state_dict()))
        out.append([k for k, _ in md.items()])
        md.clear()
        out.append(repr(md))
        return out
    same(run)


@pytest.mark.parametrize("case", [
    lambda lib, md, ns: md["c"],
    lambda lib, md, ns: md.update(3),
    lambda lib, md, ns: md.update([3]),
    lambda lib, md, ns: md.update([(1, 2, 3)]),
    lambda lib, md, ns: md.update([("z", 3)]),
    lambda lib, md, ns: lib.nn.ModuleDict({1: ns.Double()}),
    lambda lib, md, ns: md(1),
], ids=lambda case: None)
def test_module_dict_errors(case):
    def run(lib):
        ns = layers(lib)
        return case(lib, lib.nn.ModuleDict({"a": ns.Double()}), ns)
    same_error(run)


# ---------------------------------------------------------------- ParameterList / Dict


def test_parameter_list():
    def run(lib):
        nn = lib.nn
        pl = nn.ParameterList([nn.Parameter(lib.ones(2, 3)), lib.zeros(3),
                               nn.Parameter(lib.tensor(1.0)),
                               nn.Parameter(lib.ones(2, dtype=lib.float64))])
        pl.append("note")
        out = [repr(pl), type(pl[1]).__name__, pl[1].requires_grad, len(pl),
               [n for n, _ in pl.named_parameters()], list(pl.state_dict()),
               type(pl[1:3]).__name__, len(pl[::2]), pl[-2].dtype == lib.float64]
        pl[0] = lib.ones(1)
        out.append(repr(pl[0]))
        out.append(error_of(lambda: pl[10]))
        out.append(error_of(lambda: pl.extend(lib.ones(2))))
        out.append(error_of(lambda: pl()))
        return out
    same(run)


def test_parameter_dict():
    def run(lib):
        nn = lib.nn
        pd = nn.ParameterDict({"b": nn.Parameter(lib.ones(2, 3)), "a": lib.zeros(3)})
        pd["c"] = "note"
        out = [repr(pd), list(pd), list(pd.keys()), "a" in pd, len(pd),
               [n for n, _ in pd.named_parameters()], type(pd["a"]).__name__]
        pd.update([("d", lib.ones(1))])
        pd.update(OrderedDict([("f", lib.ones(1)), ("e", lib.ones(1))]))
        out.append(list(pd))
        out.append(pd.get("zz", 5))
        out.append(pd.setdefault("g", None))
        out.append(arr(pd.pop("b")).tolist())
        out.append(pd.popitem()[0])
        del pd["a"]
        out.append(list(pd))
        merged = pd | nn.ParameterDict({"z": lib.ones(1)})
        out.append(list(merged))
        copy = pd.copy()
        out.append(copy["d"] is pd["d"])
        out.append(list(pd.fromkeys(["p", "q"])))
        pd.clear()
        out.append(len(pd))
        out.append(error_of(lambda: pd[1]))
        out.append(error_of(lambda: pd.update(3)))
        out.append(error_of(lambda: pd.update([(1, 2, 3)])))
        out.append(error_of(lambda: pd(1)))
        return out
    same(run)
