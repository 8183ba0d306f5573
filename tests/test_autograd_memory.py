"""Memory goes as soon as the last name for it does: no reference cycle may hold a tensor, so
nothing waits for Python's cycle collector (torch frees at once too).  Each test runs with the
collector off and checks, through weak references, that everything it made is gone."""
import gc
import weakref

import pytest

import ember
import ember.nn.functional as F
from ember.utils.data import DataLoader, TensorDataset


@pytest.fixture
def no_collector():
    """Turns the cycle collector off for the test; what the test makes must then be freed by
    reference counting alone."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def _gone(refs):
    """The weakly referenced objects still alive (their types' names)."""
    return [type(r()).__name__ for r in refs if r() is not None]


def _track(refs, *objects):
    refs.extend(weakref.ref(o) for o in objects)


def test_a_leaf_with_a_gradient_is_freed_at_once(no_collector):
    refs = []
    w = ember.randn(1000, requires_grad=True)
    y = (w * 2).sum()
    y.backward()
    accumulator = y.grad_fn.next_functions[0][0].next_functions[0][0]
    assert accumulator.variable is w
    _track(refs, w, w.grad, y, accumulator)
    del w, y, accumulator
    assert _gone(refs) == []


def test_the_graph_keeps_its_leaves_alive(no_collector):
    y = (ember.ones(3, requires_grad=True) * 2).sum()       # the leaf has no name of its own
    leaf = y.grad_fn.next_functions[0][0].next_functions[0][0].variable
    y.backward()
    assert leaf.grad.tolist() == [2.0, 2.0, 2.0]
    ref = weakref.ref(leaf)
    del y, leaf
    assert ref() is None


def _training(refs, optimizer, retain_graph):
    ember.manual_seed(0)
    model = ember.nn.Sequential(ember.nn.Linear(3, 8), ember.nn.ReLU(), ember.nn.Dropout(0.1),
                                ember.nn.BatchNorm1d(8), ember.nn.Linear(8, 1))
    opt = optimizer(model.parameters())
    sched = ember.optim.lr_scheduler.StepLR(opt, 2)
    data = TensorDataset(ember.randn(16, 3), ember.randn(16, 1))
    loader = DataLoader(data, batch_size=4, shuffle=True)
    for x, y in loader:
        opt.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward(retain_graph=retain_graph)
        opt.step()
        sched.step()
    _track(refs, model, opt, sched, loader, data, loss, loss.grad_fn, x, y,
           *model.parameters(), *(p.grad for p in model.parameters()))
    it = iter(loader)
    _track(refs, it, next(it)[0])


@pytest.mark.parametrize("retain_graph", [False, True])
@pytest.mark.parametrize("optimizer", [
    lambda p: ember.optim.SGD(p, lr=0.1, momentum=0.9),
    lambda p: ember.optim.Adam(p, lr=0.01),
    lambda p: ember.optim.AdamW(p, lr=0.01, amsgrad=True),
])
def test_training_frees_model_optimizer_and_data(no_collector, optimizer, retain_graph):
    refs = []
    _training(refs, optimizer, retain_graph)
    assert _gone(refs) == []


def test_graphs_with_hooks_views_and_retained_gradients_are_freed(no_collector):
    refs = []

    def build():
        x = ember.randn(4, 3, requires_grad=True)
        seen = []
        x.register_hook(lambda g: seen.append(g.shape))
        v = x[1:]                               # a view of a leaf
        h = v.t() * 2
        h.retain_grad()
        h.register_hook(lambda g: g * 1)
        h.grad_fn.register_hook(lambda gi, go: None)
        h.grad_fn.register_prehook(lambda go: None)
        a = h.exp()
        b = a.clone()
        b[0] = 0                                # an in-place write recorded on a view
        out = (b.sum() + a.max()).tanh()
        g, = ember.autograd.grad((x * x).sum(), x, create_graph=True)
        g.sum().backward()
        out.backward(retain_graph=True)
        out.backward()
        _track(refs, x, v, h, a, b, out, g, x.grad, h.grad, out.grad_fn, g.grad_fn)
    build()
    assert _gone(refs) == []


def test_custom_function_saving_its_output_is_freed(no_collector):
    refs = []

    class Exp(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            y, = ctx.saved_tensors
            return g * y

    def build(keep):
        x = ember.randn(5, requires_grad=True)
        y = Exp.apply(x)
        z = y.sum()
        _track(refs, x, y, z, y.grad_fn)
        if keep:
            z.backward()
    build(False)
    build(True)
    assert _gone(refs) == []


def test_module_hooks_and_state_dict_are_freed(no_collector):
    refs = []

    def build():
        model = ember.nn.Sequential(ember.nn.Linear(2, 2), ember.nn.Linear(2, 1))
        handle = model.register_forward_hook(lambda m, i, o: None)
        model[0].register_full_backward_hook(lambda m, gi, go: None)
        model[1].register_forward_pre_hook(lambda m, i: None)
        model(ember.randn(3, 2, requires_grad=True)).sum().backward()
        state = model.state_dict()
        copy = ember.nn.Sequential(ember.nn.Linear(2, 2), ember.nn.Linear(2, 1))
        copy.load_state_dict(state)
        _track(refs, model, copy, handle, *state.values(), *copy.parameters())
    build()
    assert _gone(refs) == []
