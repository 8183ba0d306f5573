"""nn.utils.prune against torch: masks (random ones drawn from the same generator stream),
the weight_orig / weight_mask names, hooks, gradients, containers, remove and errors."""
import importlib

import numpy as np
import pytest

import ember
from parity import same, same_error

torch = pytest.importorskip("torch")


def _prune(lib):
    return importlib.import_module(lib.__name__ + ".nn.utils.prune")


def _net(lib):
    lib.manual_seed(0)
    return lib.nn.Sequential(lib.nn.Linear(4, 6), lib.nn.ReLU(), lib.nn.Linear(6, 3),
                             lib.nn.Conv2d(2, 4, 3))


def _report(lib, m):
    P = _prune(lib)
    return [list(m.state_dict()), P.is_pruned(m),
            [(k, v.detach().numpy().round(6).tolist()) for k, v in m.state_dict().items()],
            [[type(h).__name__ for h in sub._forward_pre_hooks.values()] for sub in m]]


STEPS = {
    "l1": lambda P, m: P.l1_unstructured(m[0], "weight", amount=0.3),
    "l1_int": lambda P, m: P.l1_unstructured(m[2], "weight", amount=4),
    "random": lambda P, m: P.random_unstructured(m[0], "weight", amount=5),
    "ln": lambda P, m: P.ln_structured(m[3], "weight", amount=0.5, n=1, dim=0),
    "ln_inf": lambda P, m: P.ln_structured(m[0], "weight", amount=2, n=float("inf"), dim=-1),
    "random_structured": lambda P, m: P.random_structured(m[3], "weight", amount=1, dim=1),
    "identity": lambda P, m: P.identity(m[2], "bias"),
    "custom": lambda P, m: P.custom_from_mask(m[2], "bias", mask=m[2].bias > 0),
    "global": lambda P, m: P.global_unstructured([(m[0], "bias"), (m[2], "weight")],
                                                 pruning_method=P.L1Unstructured, amount=7),
    "global_random": lambda P, m: P.global_unstructured(
        ((m[0], "weight"), (m[3], "weight")), pruning_method=P.RandomUnstructured, amount=0.2),
}


@pytest.mark.parametrize("steps", [["l1"], ["l1_int"], ["random"], ["ln"], ["ln_inf"],
                                   ["random_structured"], ["identity"], ["custom"], ["global"],
                                   ["global_random"],
                                   ["l1", "random", "ln_inf", "global"],
                                   ["ln", "random_structured", "l1_int", "global_random"]])
def test_pruning_masks_and_names(steps):
    def run(lib):
        m = _net(lib)
        for step in steps:
            STEPS[step](_prune(lib), m)
        return _report(lib, m)
    same(run)


def test_pruned_forward_and_gradient():
    x = np.random.default_rng(0).standard_normal((2, 4)).astype("float32")

    def run(lib):
        P = _prune(lib)
        m = _net(lib)
        P.l1_unstructured(m[0], "weight", amount=0.5)
        P.random_unstructured(m[0], "weight", amount=3)
        out = m[:3](lib.tensor(x))
        out.sum().backward()
        return (out.detach().numpy().round(5).tolist(), m[0].weight_orig.grad.numpy().round(5)
                .tolist(), type(m[0].weight.grad_fn).__name__,
                [type(h).__name__ for h in m[0]._forward_pre_hooks.values()],
                [type(h).__name__ for h in list(m[0]._forward_pre_hooks.values())[0]])
    same(run)


def test_remove_and_importance_scores():
    def run(lib):
        P = _prune(lib)
        m = _net(lib)
        scores = lib.arange(24.0).reshape(6, 4)
        P.l1_unstructured(m[0], "weight", amount=10, importance_scores=scores)
        P.ln_structured(m[3], "weight", amount=1, n=2, dim=0,
                        importance_scores=lib.tensor([3.0, 1.0, 4.0, 2.0]).view(4, 1, 1, 1)
                        .expand(4, 2, 3, 3))
        P.remove(m[0], "weight")
        return _report(lib, m) + [type(m[0].weight).__name__, m[0].weight.requires_grad]
    same(run)


def test_prune_method_directly():
    def run(lib):
        P = _prune(lib)
        t = lib.tensor([[0.5, -2.0, 1.0], [3.0, -0.1, 0.2]])
        return [P.L1Unstructured(amount=2).prune(t).tolist(),
                P.LnStructured(amount=1, n=1, dim=0).prune(t).tolist(),
                P.Identity().prune(t).tolist(),
                P.L1Unstructured(amount=0.5).compute_mask(t, lib.ones(2, 3)).tolist()]
    same(run)


def test_container():
    def run(lib):
        P = _prune(lib)
        m = _net(lib)
        P.l1_unstructured(m[0], "weight", amount=2)
        P.l1_unstructured(m[0], "weight", amount=2)
        P.l1_unstructured(m[0], "weight", amount=2)
        hook = list(m[0]._forward_pre_hooks.values())[0]
        return [type(hook).__name__, len(hook), [type(h).__name__ for h in hook],
                hook._tensor_name, int((m[0].weight_mask == 0).sum())]
    same(run)


def _error_cases():
    return [
        lambda lib: _prune(lib).l1_unstructured(lib.nn.Linear(2, 2), "weight", amount=-1),
        lambda lib: _prune(lib).l1_unstructured(lib.nn.Linear(2, 2), "weight", amount=1.5),
        lambda lib: _prune(lib).l1_unstructured(lib.nn.Linear(2, 2), "weight", amount="a"),
        lambda lib: _prune(lib).l1_unstructured(lib.nn.Linear(2, 2), "weight", amount=5),
        lambda lib: _prune(lib).ln_structured(lib.nn.Linear(2, 2), "bias", amount=1, n=2, dim=0),
        lambda lib: _prune(lib).ln_structured(lib.nn.Linear(2, 2), "weight", amount=1, n=2,
                                              dim=2),
        lambda lib: _prune(lib).remove(lib.nn.Linear(2, 2), "weight"),
        lambda lib: _prune(lib).global_unstructured(5, _prune(lib).L1Unstructured, amount=1),
    ]


@pytest.mark.parametrize("index", range(len(_error_cases())))
def test_errors(index):
    same_error(_error_cases()[index])


def test_global_needs_unstructured_method():
    def run(lib):
        P = _prune(lib)
        try:
            P.global_unstructured([(lib.nn.Linear(2, 2), "weight")], P.LnStructured, amount=1,
                                  n=1)
        except TypeError as error:
            return str(error).replace(lib.__name__ + ".", "")
    same(run)


def test_failed_pruning_changes_nothing():
    def run(lib):
        m = lib.nn.Linear(2, 2)
        try:
            _prune(lib).l1_unstructured(m, "weight", amount=5)
        except ValueError:
            pass
        return list(m.state_dict()), _prune(lib).is_pruned(m)
    same(run)
