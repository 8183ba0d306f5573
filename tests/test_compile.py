"""ember.compile records a call's NumPy work and replays it: compiled results must equal eager
results bit for bit, whether a call is replayed or falls back to eager (graph breaks, guards
that fail), and the objects a user holds (.grad, optimizer state, version counters) must end
up as eager mode leaves them."""
import pytest

import ember
from ember import nn
from parity import same_error


def compiled_of(fn):
    """The ``Compiled`` object behind a compiled function or module (its counters)."""
    return fn._compiled if isinstance(fn, nn.Module) else fn._ember_compiled


def arrays_equal(a, b):
    """Bit-identical tensors (or both None)."""
    if a is None or b is None:
        return a is None and b is None
    a, b = a.detach().numpy(), b.detach().numpy()
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def assert_same_models(m1, m2):
    for (n1, p1), (n2, p2) in zip(m1.named_parameters(), m2.named_parameters()):
        assert n1 == n2
        assert arrays_equal(p1, p2), n1
        assert arrays_equal(p1.grad, p2.grad), n1


class LinearRegression(nn.Module):
    """The course's (and ../shared/bench/linreg.py's) model."""

    def __init__(self, in_dim):
        super().__init__()
        self.w = nn.Parameter(ember.randn(in_dim + 1, 1))

    def forward(self, x):
        x = ember.cat([x, ember.ones((x.shape[0], 1))], dim=1)
        return x.matmul(self.w)


def linreg_run(compile_step, steps=12, momentum=0.0):
    ember.manual_seed(0)
    x, y = ember.randn(100, 3), ember.randn(100, 1)
    model = LinearRegression(3)
    optimizer = ember.optim.SGD(model.parameters(), lr=0.01, momentum=momentum)
    loss_fn = nn.MSELoss()

    def step():
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    if compile_step:
        step = ember.compile(step)
    losses = [step().item() for _ in range(steps)]
    return losses, model, optimizer, step


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_the_linreg_step_replays_and_matches_eager_bit_for_bit(momentum):
    eager_losses, eager, eager_opt, _ = linreg_run(False, momentum=momentum)
    losses, model, opt, step = linreg_run(True, momentum=momentum)
    assert losses == eager_losses
    assert_same_models(model, eager)
    assert model.w._version == eager.w._version
    c = compiled_of(step)
    assert c.replays >= 8 and c.recordings <= 4 and c.explain() == []
    if momentum:
        buf = opt.state[model.w]["momentum_buffer"]
        assert arrays_equal(buf, eager_opt.state[eager.w]["momentum_buffer"])
        before = buf
        step()
        assert opt.state[model.w]["momentum_buffer"] is before     # updated in place


def test_a_replay_leaves_grad_as_a_tensor_the_optimizer_and_user_see():
    losses, model, opt, step = linreg_run(True)
    g = model.w.grad
    assert isinstance(g, ember.Tensor) and not g.requires_grad and g.grad_fn is None
    before = model.w.detach().clone()
    step()
    assert arrays_equal(model.w.detach(), before - 0.01 * model.w.grad)


def test_the_returned_loss_is_a_new_tensor_each_replay():
    _, _, _, step = linreg_run(True)
    a, b = step(), step()
    assert a is not b and a.item() != b.item()


def test_micro_autograd_accumulates_into_the_same_grad_in_place():
    def run(compile_fn):
        ember.manual_seed(0)
        x = ember.randn(4, requires_grad=True)
        y = ember.randn(4, requires_grad=True)

        def f():
            z = (x * y + x.pow(2)).sum()
            z.backward()
            return z
        g = ember.compile(f) if compile_fn else f
        out = [g().item() for _ in range(10)]
        return out, x, y, g
    out_e, xe, ye, _ = run(False)
    out_c, xc, yc, g = run(True)
    assert out_c == out_e
    assert arrays_equal(xc.grad, xe.grad) and arrays_equal(yc.grad, ye.grad)
    grad = xc.grad
    g()
    assert xc.grad is grad                    # accumulated in place, as eager does
    assert compiled_of(g).replays > 0


def test_an_item_that_feeds_a_branch_falls_back_to_eager_when_it_changes():
    def run(compile_fn):
        ember.manual_seed(0)
        w = ember.randn(3, requires_grad=True)
        x = ember.randn(3)

        def f():
            loss = (w * x).sum() ** 2
            if loss.item() > 0.5:                # a branch on the data
                loss = loss * 2
            loss.backward()
            with ember.no_grad():
                w.sub_(0.1 * w.grad)
            w.grad = None
            return loss
        g = ember.compile(f) if compile_fn else f
        return [g().item() for _ in range(15)], w, g
    out_e, we, _ = run(False)
    out_c, wc, g = run(True)
    assert out_c == out_e and arrays_equal(wc, we)
    # the branch goes both ways over these steps: checks stopped the replays that would differ
    assert any(v > 0.5 for v in out_e) and any(v <= 0.5 for v in out_e)


def test_a_value_read_before_any_write_is_checked_and_replays_while_it_holds():
    w = ember.ones(3, requires_grad=True)
    flag = ember.tensor([1.0])

    def f():
        if flag.item() > 0:
            loss = (w * 2).sum()
        else:
            loss = (w * 3).sum()
        loss.backward()
        return loss
    g = ember.compile(f)
    for _ in range(5):
        g()
    c = compiled_of(g)
    assert c.replays >= 2
    flag.fill_(-1.0)                          # the same guards, another branch
    replays = c.replays
    assert g().item() == 9.0
    assert c.replays == replays               # the check stopped the replay
    assert arrays_equal(w.grad, ember.full((3,), 2.0 * 5 + 3.0))


def test_new_shapes_record_again_and_arguments_are_copied_in():
    ember.manual_seed(0)
    model = nn.Linear(4, 2)

    def f(x):
        return model(x).sum()
    g = ember.compile(f)
    with ember.no_grad():
        for n in (3, 3, 3, 5, 5, 5, 3):
            x = ember.randn(n, 4)
            assert g(x).item() == f(x).item()
    assert compiled_of(g).replays >= 2


def test_an_argument_written_in_place_is_written_back():
    def f(x):
        x.mul_(2)
        return x.sum()
    g = ember.compile(f)
    for i in range(5):
        x = ember.full((3,), float(i))
        assert g(x).item() == 6.0 * i
        assert x.tolist() == [2.0 * i] * 3
    assert compiled_of(g).replays >= 1


def test_switching_train_and_eval_with_dropout_matches_eager():
    def run(compile_model):
        ember.manual_seed(0)
        model = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 1))
        opt = ember.optim.SGD(model.parameters(), lr=0.05)
        x, y = ember.randn(16, 6), ember.randn(16, 1)

        def step():
            loss = ((model(x) - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss
        s = ember.compile(step) if compile_model else step
        out = []
        for i in range(12):
            model.train(i % 4 != 3)
            out.append(s().item())
        return out, model, s
    out_e, me, _ = run(False)
    out_c, mc, s = run(True)
    assert out_c == out_e
    assert_same_models(mc, me)
    assert compiled_of(s).replays > 0


def test_requires_grad_changes_and_replaced_data_are_guarded():
    def run(compile_step):
        ember.manual_seed(0)
        model = nn.Linear(3, 1)
        opt = ember.optim.SGD(model.parameters(), lr=0.1)
        x, y = ember.randn(8, 3), ember.randn(8, 1)

        def step():
            loss = ((model(x) - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss
        s = ember.compile(step) if compile_step else step
        out = []
        for i in range(14):
            if i == 5:
                model.bias.requires_grad_(False)
            if i == 9:
                model.weight.data = model.weight.data * 0.5
            out.append(s().item())
        return out, model
    out_e, me = run(False)
    out_c, mc = run(True)
    assert out_c == out_e
    assert_same_models(mc, me)


def test_a_learning_rate_schedule_is_guarded():
    def run(compile_step):
        _, model, opt, _ = linreg_run(False, steps=0)
        x, y = ember.randn(100, 3), ember.randn(100, 1)
        sched = ember.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)

        def step():
            loss = ((model(x) - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss
        s = ember.compile(step) if compile_step else step
        out = []
        for _ in range(12):
            out.append(s().item())
            sched.step()
        return out, model
    out_e, me = run(False)
    out_c, mc = run(True)
    assert out_c == out_e
    assert_same_models(mc, me)


def test_hooks_and_anomaly_mode_run_eagerly():
    ember.manual_seed(0)
    model = nn.Linear(2, 1)
    x = ember.randn(4, 2)
    g = ember.compile(model)
    with ember.no_grad():
        for _ in range(4):
            g(x)
        calls = []
        handle = model.register_forward_hook(lambda m, i, o: calls.append(1))
        g(x)
        g(x)
        assert len(calls) == 2
        handle.remove()
    with ember.autograd.detect_anomaly():
        replays = g._compiled.replays
        g(x)
        assert g._compiled.replays == replays


def test_a_forward_only_compiled_module_keeps_its_graph_for_backward():
    ember.manual_seed(0)
    model = nn.Linear(3, 2)
    compiled = ember.compile(model)
    x = ember.randn(5, 3)
    for _ in range(4):
        out = compiled(x)
        assert out.grad_fn is not None
        out.sum().backward()
    assert compiled_of(compiled).explain()          # why: the graph is still needed
    with ember.no_grad():
        for _ in range(4):
            assert arrays_equal(compiled(x), model(x))
    assert compiled_of(compiled).replays >= 1


def test_reset_forgets_every_recording():
    _, _, _, step = linreg_run(True, steps=5)
    c = compiled_of(step)
    assert c._cache
    ember.compiler.reset()
    assert not c._cache
    recordings = c.recordings
    step()
    assert c.recordings == recordings + 1


def test_force_eager_stance_neither_records_nor_replays():
    _, _, _, step = linreg_run(True, steps=5)
    c = compiled_of(step)
    counts = (c.recordings, c.replays)
    with ember.compiler.set_stance("force_eager"):
        step()
    assert (c.recordings, c.replays) == counts
    step()
    assert c.replays == counts[1] + 1


def test_a_refused_recording_says_why():
    w = ember.ones(3, requires_grad=True)

    def f():
        data = (w.detach() * 2).numpy().tobytes()     # the data read into Python
        return len(data)
    g = ember.compile(f)
    assert g() == 12
    assert compiled_of(g).explain() == ["'tobytes' reads the data into Python"]
    assert g() == 12


def test_decorator_forms_and_disable():
    @ember.compile
    def f(x):
        return x * 2

    @ember.compile(mode="reduce-overhead", fullgraph=True, dynamic=False)
    def g(x):
        return x + 1
    x = ember.ones(2)
    assert f(x).tolist() == [2.0, 2.0] and g(x).tolist() == [2.0, 2.0]
    assert f.__name__ == "f"

    def h(x):
        return x
    assert ember.compile(h, disable=True) is h


def test_boolean_mask_indexing_replays_with_a_check_on_the_mask():
    def run(compile_fn):
        w = ember.tensor([1.0, -2.0, 3.0, -4.0], requires_grad=True)
        x = ember.tensor([1.0, 2.0, 3.0, 4.0])

        def f():
            y = w * x
            loss = y[y > 0].sum()
            loss.backward()
            with ember.no_grad():
                w.sub_(0.3 * w.grad)
            w.grad = None
            return loss
        g = ember.compile(f) if compile_fn else f
        return [g().item() for _ in range(12)], w, g
    out_e, we, _ = run(False)
    out_c, wc, g = run(True)
    assert out_c == out_e and arrays_equal(wc, we)
    assert compiled_of(g).replays >= 1


torch = pytest.importorskip("torch")


def test_optimized_module_prints_and_saves_as_torchs():
    ember.manual_seed(0)
    e = ember.compile(ember.nn.Linear(2, 3))
    t = torch.compile(torch.nn.Linear(2, 3))
    assert repr(e) == repr(t)
    assert type(e).__name__ == type(t).__name__ == "OptimizedModule"
    assert list(e.state_dict()) == list(t.state_dict())
    assert e.weight is e._orig_mod.weight and e.in_features == 2
    e.eval()
    assert not e._orig_mod.training


def test_bad_arguments_raise_torchs_errors():
    same_error(lambda l: l.compile(lambda x: x, mode="fastest"))
    same_error(lambda l: l.compile(lambda x: x, mode="default", options={}))
    with pytest.raises(RuntimeError, match="Invalid backend: 'nope'"):
        ember.compile(lambda x: x, backend="nope")
    with pytest.raises(torch._dynamo.exc.InvalidBackend, match="Invalid backend: 'nope'"):
        torch.compile(lambda x: x, backend="nope")
