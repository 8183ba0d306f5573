"""Autograd in several threads, with torch's guarantees: the grad mode belongs to a thread (a new
thread starts with recording on), backward passes in different threads do not disturb each
other, and two of them into the same leaf both accumulate.

The threads switch often (``sys.setswitchinterval``) so that any shared state would show."""
import sys
import threading

import numpy as np
import pytest

import ember


@pytest.fixture(autouse=True)
def _switch_often():
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def _in_threads(*targets):
    """Runs each target in its own thread, all at once; re-raises the first error."""
    errors = []

    def guard(fn):
        try:
            fn()
        except BaseException as e:          # noqa: BLE001 -- reported to the test below
            errors.append(e)
    threads = [threading.Thread(target=guard, args=(fn,)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def test_a_new_thread_starts_with_grad_enabled():
    x = ember.ones(3, requires_grad=True)
    seen = {}

    def probe():
        seen["enabled"] = ember.is_grad_enabled()
        seen["inference"] = ember.is_inference_mode_enabled()
        seen["recorded"] = (x * 2).requires_grad
        seen["view"] = x[1:].requires_grad
    with ember.no_grad():
        _in_threads(probe)
        assert not (x * 2).requires_grad
    assert seen == {"enabled": True, "inference": False, "recorded": True, "view": True}
    with ember.inference_mode():
        _in_threads(probe)
        assert ember.is_inference_mode_enabled()
    assert seen == {"enabled": True, "inference": False, "recorded": True, "view": True}
    ember.set_grad_enabled(False)
    try:
        _in_threads(probe)
    finally:
        ember.set_grad_enabled(True)
    assert seen["recorded"]


def test_no_grad_in_one_thread_leaves_the_others_recording():
    x = ember.ones(3, requires_grad=True)
    inside = threading.Event()
    done = threading.Event()
    results = []

    def evaluating():
        with ember.no_grad():
            inside.set()
            results.append(("no_grad", (x * 2).requires_grad, ember.is_grad_enabled()))
            done.wait(5)

    def training():
        inside.wait(5)
        results.append(("train", (x * 2).requires_grad, ember.is_grad_enabled()))
        done.set()
    _in_threads(evaluating, training)
    assert sorted(results) == [("no_grad", False, False), ("train", True, True)]
    assert ember.is_grad_enabled()


def _model_and_data(seed):
    ember.manual_seed(seed)
    model = ember.nn.Sequential(ember.nn.Linear(5, 16), ember.nn.Tanh(), ember.nn.Linear(16, 1))
    x = ember.randn(64, 5)
    y = ember.randn(64, 1)
    return model, x, y


def _train(model, x, y, steps=30):
    opt = ember.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(steps):
        opt.zero_grad()
        loss = ember.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        with ember.no_grad():                # an evaluation between steps, as courses do
            model(x).sum()
    return [p.detach().numpy().copy() for p in model.parameters()]


def test_threads_training_separate_models_match_serial_runs_bit_for_bit():
    serial = [_train(*_model_and_data(seed)) for seed in range(4)]
    setups = [_model_and_data(seed) for seed in range(4)]
    threaded = [None] * 4

    def worker(i):
        return lambda: threaded.__setitem__(i, _train(*setups[i]))
    _in_threads(*[worker(i) for i in range(4)])
    for got, want in zip(threaded, serial):
        assert all(np.array_equal(g, w) for g, w in zip(got, want))


def test_concurrent_backward_into_a_shared_leaf_accumulates_everything():
    # Integer-valued float64 gradients: every order of the additions gives the same sum exactly.
    # Each round starts a fresh leaf (the first gradient is stored, the later ones added), and
    # the leaf is large, so that NumPy adds outside the GIL: both need the leaf's lock.
    rounds, n = 20, 1 << 20
    leaves = [ember.zeros(n, dtype=ember.float64, requires_grad=True) for _ in range(rounds)]
    start = threading.Barrier(3)

    def worker(scale):
        def run():
            for w in leaves:
                start.wait(5)
                for _ in range(3):
                    (w * scale).sum().backward()
        return run
    _in_threads(worker(1.0), worker(2.0), worker(3.0))
    for w in leaves:
        assert np.array_equal(w.grad.numpy(), np.full(n, 18.0))


def test_threads_recording_consumers_of_one_node_count_them_all():
    w = ember.ones(4, requires_grad=True)
    h = w * 2                                  # one node, consumed from every thread
    per_thread = 2000
    results = [[] for _ in range(3)]

    def worker(out):
        return lambda: out.extend(h * 1.0 for _ in range(per_thread))
    _in_threads(*[worker(r) for r in results])
    if ember.autograd.engine._COUNTS_EXACT:    # with the GIL (else backward counts itself)
        assert h.grad_fn._uses == 3 * per_thread
    total = sum(t.sum() for r in results for t in r)
    total.backward()
    assert np.array_equal(w.grad.numpy(), np.full(4, 2.0 * 3 * per_thread, np.float32))


def test_backward_on_arrays_and_create_graph_run_side_by_side():
    # one thread's backward runs on arrays, the other's on tensors (create_graph=True): each
    # thread's engine mode is its own
    first = []
    second = []

    def plain():
        for _ in range(100):
            x = ember.tensor([1.0, 2.0], requires_grad=True)
            (x ** 3).sum().backward()
            first.append(x.grad.tolist())

    def higher_order():
        for _ in range(100):
            x = ember.tensor([1.0, 2.0], requires_grad=True)
            g, = ember.autograd.grad((x ** 3).sum(), x, create_graph=True)
            g.sum().backward()
            second.append((g.tolist(), x.grad.tolist(), g.requires_grad))
    _in_threads(plain, higher_order)
    assert first == [[3.0, 12.0]] * 100
    assert second == [([3.0, 12.0], [6.0, 12.0], True)] * 100
