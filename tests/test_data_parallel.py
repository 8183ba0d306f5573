"""nn.DataParallel on a machine without accelerators, against torch: it wraps and calls the
module, with torch's attributes, repr, state_dict keys (``module.`` prefix) and gradients."""
import numpy as np
import pytest

import ember
from parity import same, same_error

torch = pytest.importorskip("torch")


def _model(lib):
    lib.manual_seed(0)
    return lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 2))


def test_wraps_and_runs_the_module():
    x = np.random.default_rng(0).standard_normal((5, 3)).astype("float32")

    def run(lib):
        model = lib.nn.DataParallel(_model(lib), device_ids=[0, 1], output_device=0, dim=1)
        out = model(lib.tensor(x))
        out.sum().backward()
        return [repr(model), model.device_ids, hasattr(model, "dim"),
                hasattr(model, "output_device"), list(model.state_dict()),
                [n for n, _ in model.named_parameters()], type(model.module).__name__,
                out.detach().numpy().round(6).tolist(), type(out.grad_fn).__name__,
                model.module[0].weight.grad.numpy().round(6).tolist(),
                lib.nn.DataParallel is lib.nn.parallel.DataParallel]
    same(run)


def test_state_dict_both_ways():
    t = torch.nn.DataParallel(_model(torch))
    e = ember.nn.DataParallel(ember.nn.Sequential(ember.nn.Linear(3, 4), ember.nn.ReLU(),
                                                  ember.nn.Linear(4, 2)))
    e.load_state_dict({k: ember.tensor(v.numpy()) for k, v in t.state_dict().items()})
    e.module[0].weight.data.mul_(2)
    t.load_state_dict({k: torch.tensor(v.numpy()) for k, v in e.state_dict().items()})
    np.testing.assert_array_equal(t.module[0].weight.detach().numpy(),
                                  e.module[0].weight.detach().numpy())


def test_keyword_arguments_pass_through():
    class Add(ember.nn.Module):
        def forward(self, a, b=1):
            return a + b
    assert ember.nn.DataParallel(Add())(ember.ones(2), b=3).tolist() == [4.0, 4.0]


def test_data_parallel_function_needs_devices():
    same_error(lambda lib: lib.nn.parallel.data_parallel(_model(lib), lib.zeros(2, 3)))
