"""The everyday top-level names against torch: constants, ``finfo``/``iinfo``, the default
device, ``version``, ``testing.assert_close``, ``compile``/``compiler``, ``multiprocessing``
and ``cuda`` answering as a CPU-only torch."""
import math
import warnings

import pytest

import ember
from parity import same, same_error

torch = pytest.importorskip("torch")

FLOATS = ["float16", "float32", "float64"]
INTS = ["uint8", "int8", "int16", "int32", "int64"]


def test_constants():
    same(lambda l: (l.pi, l.e, l.inf, l.newaxis, math.isnan(l.nan)))
    same(lambda l: tuple(l.ones(3)[l.newaxis].shape))


@pytest.mark.parametrize("name", FLOATS)
def test_finfo(name):
    same(lambda l: (lambda f: (repr(f), f.bits, f.eps, f.max, f.min, f.tiny, f.smallest_normal,
                               f.resolution, f.dtype))(l.finfo(getattr(l, name))))


@pytest.mark.parametrize("name", INTS)
def test_iinfo(name):
    same(lambda l: (lambda f: (repr(f), f.bits, f.max, f.min, f.dtype))(
        l.iinfo(getattr(l, name))))


def test_finfo_of_the_default_dtype():
    same(lambda l: repr(l.finfo()))


@pytest.mark.parametrize("fn", [
    lambda l: l.iinfo(l.float32),
    lambda l: l.finfo(l.int64),
    lambda l: l.iinfo(l.bool),
    lambda l: l.finfo(3),
])
def test_info_errors(fn):
    same_error(fn)


def test_default_device():
    same(lambda l: (repr(l.get_default_device()), str(l.get_default_device())))
    same(lambda l: (l.set_default_device("cpu"), repr(l.get_default_device()))[1])
    same(lambda l: (l.set_default_device(None), repr(l.get_default_device()))[1])


def test_version():
    same(lambda l: (l.version.cuda, l.version.hip, l.version.debug))
    assert ember.version.__version__ == ember.__version__


ASSERT_CASES = [
    (lambda l: l.tensor([1.0, 2.0, 3.0]), lambda l: l.tensor([1.0, 2.5, 3.0])),
    (lambda l: l.tensor([1, 2]), lambda l: l.tensor([1, 3])),
    (lambda l: l.tensor([[1.0, 2.0]]), lambda l: l.tensor([1.0, 2.0])),
    (lambda l: l.tensor([1.0]), lambda l: l.tensor([1.0], dtype=l.float64)),
    (lambda l: 1.0, lambda l: 1.1),
    (lambda l: 1, lambda l: 2),
    (lambda l: [1.0, 2.0], lambda l: [1.0, 2.1]),
    (lambda l: l.tensor([1.0]), lambda l: 1.0),
    (lambda l: l.tensor([1.0, 2.0]), lambda l: l.tensor([1.0, 2.00001])),
    (lambda l: {"a": l.ones(1)}, lambda l: {"a": l.zeros(1)}),
    (lambda l: l.tensor([True]), lambda l: l.tensor([False])),
    (lambda l: l.tensor([1.0, float("inf")]), lambda l: l.tensor([1.0, 2.0])),
    (lambda l: l.tensor([[1.0, 2.0], [3.0, 4.0]]), lambda l: l.tensor([[1.0, 2.0], [3.5, 4.0]])),
    (lambda l: l.ones(2, dtype=l.float16), lambda l: l.ones(2, dtype=l.float16) * 1.01),
    (lambda l: (l.ones(1), 2), lambda l: (l.ones(1), 2)),
]


@pytest.mark.parametrize("case", range(len(ASSERT_CASES)))
def test_assert_close_matches_torch(case):
    actual, expected = ASSERT_CASES[case]

    def run(l):
        try:
            l.testing.assert_close(actual(l), expected(l))
        except Exception as e:   # noqa: BLE001 - compared with torch's
            return type(e).__name__, str(e)
        return None
    same(run)


def test_assert_close_options():
    def run(l):
        out = []
        for kwargs in ({"rtol": 1.0}, {"msg": "boom"}, {"rtol": 0.0, "atol": 2.0},
                       {"check_dtype": False}, {"equal_nan": True}):
            try:
                l.testing.assert_close(l.tensor([1.0, float("nan")]),
                                       l.tensor([2.0, float("nan")], dtype=l.float64), **kwargs)
                out.append(None)
            except Exception as e:   # noqa: BLE001 - compared with torch's
                out.append((type(e).__name__, str(e)))
        return out
    same(run)


def test_compile_computes_what_the_original_does():
    def f(x):
        return (x * 2).relu().sum()
    compiled = ember.compile(f)
    x = ember.tensor([1.0, -2.0, 3.0], requires_grad=True)
    assert compiled(x).item() == f(x).item() == 8.0
    model = ember.nn.Linear(2, 1)
    assert ember.compile(model)._orig_mod is model
    assert ember.compile(mode="reduce-overhead")(f)(x).item() == 8.0
    assert not ember.compiler.is_compiling()
    with pytest.raises(RuntimeError, match="Either mode or options"):
        ember.compile(f, mode="default", options={})
    same_error(lambda l: l.compile(3))


def _double(x):
    return x * 2


def test_multiprocessing_is_the_standard_library():
    import multiprocessing
    assert ember.multiprocessing.Process is multiprocessing.Process
    assert ember.multiprocessing.get_all_sharing_strategies() == \
        torch.multiprocessing.get_all_sharing_strategies()
    assert ember.multiprocessing.get_sharing_strategy() == \
        torch.multiprocessing.get_sharing_strategy()
    t = ember.ones(2)
    assert t.share_memory_() is t and not t.is_shared()
    with ember.multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.map(_double, [ember.tensor([1.0])])[0].tolist() == [2.0]


CUDA_CALLS = [
    "is_available()", "device_count()", "current_device()", "set_device(0)", "synchronize()",
    "get_device_name()", "get_device_properties()", "get_device_capability()",
    "manual_seed(1)", "manual_seed_all(1)", "seed()", "seed_all()", "initial_seed()",
    "get_rng_state()", "set_rng_state(None)", "get_rng_state_all()", "set_rng_state_all([])",
    "empty_cache()", "memory_allocated()", "max_memory_allocated()", "memory_reserved()",
    "max_memory_reserved()", "reset_peak_memory_stats()", "is_initialized()", "init()",
    "is_bf16_supported()", "mem_get_info()", "memory_summary()", "ipc_collect()",
    "memory_stats()", "get_arch_list()", "memory_cached()", "max_memory_cached()",
    "FloatTensor([1])", "LongTensor(2)", "Stream()", "Event()", "CUDAGraph()", "MemPool()",
    "current_stream()", "default_stream()", "stream(None).__enter__()", "set_stream(None)",
    "device_of(lib.ones(1)).__enter__()", "can_device_access_peer(0, 1)", "clock_rate()",
    "current_blas_handle()", "device_memory_used()", "get_gencode_flags()",
    "get_per_process_memory_fraction()", "get_sync_debug_mode()", "set_sync_debug_mode(0)",
    "graph_pool_handle()", "has_half", "has_magma", "host_memory_stats()",
    "is_current_stream_capturing()", "is_tf32_supported()", "list_gpu_processes()",
    "memory_snapshot()", "memory_stats_as_nested_dict()", "memory_usage()", "power_draw()",
    "temperature()", "utilization()", "reset_accumulated_memory_stats()",
    "reset_max_memory_allocated()", "reset_max_memory_cached()",
    "set_per_process_memory_fraction(0.5)", "caching_allocator_alloc(10)",
    "default_generators", "graph(None)", "cudart()", "get_stream_from_external(0)",
    "host_memory_stats_as_nested_dict()", "isinstance(lib.ones(1), lib.cuda.FloatTensor)",
    "FloatTensor.dtype", "issubclass(lib.cuda.OutOfMemoryError, RuntimeError)",
]


@pytest.mark.parametrize("call", CUDA_CALLS)
def test_cuda_answers_as_a_cpu_only_torch(call):
    def run(l):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = eval(call if call.startswith(("isinstance", "issubclass")) else
                              "lib.cuda." + call, {"lib": l})
        except Exception as e:   # noqa: BLE001 - compared with torch's
            return type(e).__name__, str(e)
        return repr(result)
    same(run)


def test_cuda_device_context_and_amp():
    same_error(lambda l: l.cuda.device(0).__enter__())

    def loop(l):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scaler = l.cuda.amp.GradScaler()
            with l.cuda.amp.autocast():
                w = l.ones(2, requires_grad=True)
                loss = (w * 3).sum()
        opt = l.optim.SGD([w], lr=0.1)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        return scaler.is_enabled(), scaler.get_scale(), scaler.state_dict(), w.tolist()
    same(loop)


def test_new_submodules_load_on_first_use():
    import os
    import subprocess
    import sys
    script = ("import sys, ember\n"
              "names = ['testing', 'compiler', 'multiprocessing', 'version', 'cuda']\n"
              "print([n for n in names if 'ember.' + n in sys.modules])\n"
              "ember.compile, ember.testing.assert_close\n"
              "print(sorted(n for n in names if 'ember.' + n in sys.modules))\n")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "['compiler', 'testing']"]
