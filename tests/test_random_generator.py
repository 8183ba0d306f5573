"""Generators as torch's: seeds, ``initial_seed``, the state as torch's 5056 bytes (torch's
state loads into ember and ember's into torch), ``ember.random`` and torch's errors."""
import pickle

import numpy as np
import pytest

import ember
from parity import same, same_error

torch = pytest.importorskip("torch")


def _state(lib, g=None):
    return (g or lib.default_generator).get_state().numpy().copy()


@pytest.mark.parametrize("seed", [0, 1, 42, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 2 ** 63, 2 ** 64 - 1,
                                  -1, -2 ** 63, 67280421310721])
def test_seeds_and_states(seed):
    same(lambda L: L.manual_seed(seed).initial_seed())
    same(lambda L: (L.manual_seed(seed), L.rand(2).tolist(), L.initial_seed())[1:])
    for draw in (lambda L: None, lambda L: L.rand(700), lambda L: L.randn(5),
                 lambda L: L.randn(3, dtype=L.float64)):
        for lib in (ember, torch):
            lib.manual_seed(seed)
            draw(lib)
        assert np.array_equal(_state(ember), _state(torch))


def test_a_new_generator_and_the_default_one_start_from_torchs_seed():
    same(lambda L: L.Generator().initial_seed())
    same(lambda L: L.Generator().get_state().tolist())
    same(lambda L: L.rand(3, generator=L.Generator()).tolist())
    same(lambda L: L.get_rng_state().shape)


@pytest.mark.parametrize("draw", ["L.rand(5)", "L.randn(3)", "L.randn(33, dtype=L.float64)",
                                  "L.randperm(700)", "L.empty(2).log_normal_()"])
def test_states_move_between_the_libraries(draw):
    for src, dst in ((torch, ember), (ember, torch)):
        src.manual_seed(123)
        eval(draw, {"L": src})
        state = src.get_rng_state()
        dst.set_rng_state(dst.from_numpy(state.numpy().copy()))
        assert dst.initial_seed() == src.initial_seed() == 123
        assert np.array_equal(dst.get_rng_state().numpy(), state.numpy())
        assert np.array_equal(dst.randn(40).numpy(), src.randn(40).numpy())
        assert np.array_equal(dst.randn(3).numpy(), src.randn(3).numpy())


def test_generator_state_round_trip_and_clone():
    for lib in (ember, torch):
        g = lib.Generator().manual_seed(9)
        lib.rand(3, generator=g)
        state = g.get_state()
        a = lib.randn(5, generator=g)
        g.set_state(state)
        assert np.array_equal(lib.randn(5, generator=g).numpy(), a.numpy())
        clone = g.clone_state()
        assert np.array_equal(lib.rand(4, generator=g).numpy(),
                              lib.rand(4, generator=clone).numpy())


def test_pickled_generator_continues_the_stream():
    g = ember.Generator().manual_seed(5)
    ember.rand(7, generator=g)
    copy = pickle.loads(pickle.dumps(g))
    assert copy.initial_seed() == 5
    assert np.array_equal(ember.rand(9, generator=g).numpy(), ember.rand(9, generator=copy).numpy())


def test_seed_is_fresh_and_remembered():
    s = ember.seed()
    assert isinstance(s, int) and 0 <= s < 2 ** 64 and ember.initial_seed() == s
    g = ember.Generator()
    assert g.seed() == g.initial_seed()


@pytest.mark.parametrize("expr", [
    "L.manual_seed(2 ** 64)", "L.manual_seed(-2 ** 63 - 1)", "L.manual_seed('a')",
    "L.Generator().manual_seed(1.5)", "L.Generator().manual_seed('a')",
    "L.Generator().manual_seed(True)", "L.Generator().manual_seed(L.tensor(3))",
    "L.Generator().manual_seed(2 ** 64)",
    "L.set_rng_state(L.zeros(10, dtype=L.uint8))", "L.set_rng_state(L.zeros(5048, dtype=L.uint8))",
    "L.set_rng_state(L.zeros(5056))", "L.set_rng_state([1, 2])",
    "L.set_rng_state(L.zeros(5056, dtype=L.uint8))",
    "L.Generator().set_state(L.zeros(3, dtype=L.uint8))", "L.Generator().get_offset()",
    "L.Generator().set_offset(1)"])
def test_errors(expr):
    same_error(lambda L: eval(expr, {"L": L}))


def test_loose_seeds_as_torch_takes_them():
    same(lambda L: L.manual_seed(1.5).initial_seed())
    same(lambda L: L.manual_seed(True).initial_seed())
    same(lambda L: L.manual_seed(L.tensor(7)).initial_seed())


def test_random_module():
    assert ember.random.manual_seed is ember.manual_seed
    names = ["fork_rng", "get_rng_state", "set_rng_state", "initial_seed", "manual_seed", "seed",
             "default_generator", "Generator", "thread_safe_generator"]
    assert all(hasattr(ember.random, n) and hasattr(torch.random, n) for n in names)

    def forked(L):
        L.manual_seed(3)
        first = L.rand(2)
        with L.random.fork_rng():
            L.rand(5)
        with L.random.fork_rng(enabled=False):
            skipped = L.rand(1)
        return first.tolist(), skipped.tolist(), L.rand(2).tolist(), L.random.initial_seed()
    same(forked)
    assert ember.random.thread_safe_generator() is None
