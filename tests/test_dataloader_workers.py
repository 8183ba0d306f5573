"""DataLoader with num_workers > 0: real worker processes, the same batches, errors, clean-up.

Datasets here are tiny: starting a forked worker costs milliseconds, the tests stay fast.
"""
import gc
import multiprocessing
import os
import random
import signal

import numpy as np
import pytest

import ember
from ember.utils import data as edata


def no_workers_left():
    """Joins finished children, and says whether any process we started is still running."""
    for _ in range(50):
        if not multiprocessing.active_children():
            return True
        import time
        time.sleep(0.05)
    return False


@pytest.fixture(autouse=True)
def _no_leftover_processes():
    assert no_workers_left()
    yield
    gc.collect()
    assert no_workers_left(), multiprocessing.active_children()


class Squares(edata.Dataset):
    def __init__(self, n=20):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return ember.tensor([float(i)]), i * i


class WhoLoads(edata.Dataset):
    """Returns the worker id and pid that loaded each sample, and draws from every generator."""

    def __len__(self):
        return 8

    def __getitem__(self, i):
        info = edata.get_worker_info()
        return {"i": i, "worker": -1 if info is None else info.id, "pid": os.getpid(),
                "numpy": np.random.randint(0, 2 ** 30), "python": random.randint(0, 2 ** 30),
                "ember": ember.randint(0, 2 ** 30, (1,)).item()}


def epoch(loader):
    return [[t.tolist() for t in batch] for batch in loader]


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("drop_last", [False, True])
def test_workers_give_the_same_batches_as_the_main_process(shuffle, drop_last):
    def run(num_workers):
        ember.manual_seed(5)
        loader = edata.DataLoader(Squares(21), batch_size=4, shuffle=shuffle, drop_last=drop_last,
                                  num_workers=num_workers)
        return [epoch(loader), epoch(loader)], len(loader)
    single, workers = run(0), run(2)
    assert single == workers
    if shuffle:
        assert single[0][0] != single[0][1]            # two epochs, two orders
    assert no_workers_left()                           # the epoch ended: workers are gone


def test_batches_come_from_worker_processes_round_robin():
    loader = edata.DataLoader(WhoLoads(), batch_size=2, num_workers=2)
    batches = list(loader)
    assert [b["worker"].tolist() for b in batches] == [[0, 0], [1, 1], [0, 0], [1, 1]]
    pids = {b["pid"][0].item() for b in batches}
    assert len(pids) == 2 and os.getpid() not in pids
    assert edata.get_worker_info() is None             # in the main process


def test_worker_seeds_differ_and_are_reproducible():
    def run():
        ember.manual_seed(9)
        return list(edata.DataLoader(WhoLoads(), batch_size=4, num_workers=2))
    first, second = run(), run()
    for key in ["numpy", "python", "ember"]:
        a, b = first[0][key].tolist(), first[1][key].tolist()       # worker 0 vs worker 1
        assert a != b, key
        assert [x[key].tolist() for x in first] == [x[key].tolist() for x in second], key


def test_worker_init_fn_and_worker_info():
    def init(worker_id):
        info = edata.get_worker_info()
        assert info.id == worker_id and info.num_workers == 2
        info.dataset.offset = 1000 * (worker_id + 1)

    class Offset(edata.Dataset):
        offset = 0

        def __len__(self):
            return 6

        def __getitem__(self, i):
            info = edata.get_worker_info()
            return [i + self.offset, info.seed, ember.initial_seed()]
    ember.manual_seed(1)
    batches = list(edata.DataLoader(Offset(), batch_size=2, num_workers=2, worker_init_fn=init))
    values = [b[0].tolist() for b in batches]
    seeds = [b[1].tolist() for b in batches]
    assert values == [[1000, 1001], [2002, 2003], [1004, 1005]]
    base = seeds[0][0]
    assert [s[0] for s in seeds] == [base, base + 1, base]            # base_seed + worker_id
    assert [b[2][0].item() for b in batches] == [base, base + 1, base]  # ember is seeded so


def test_iterable_dataset_split_between_workers():
    class Stream(edata.IterableDataset):
        def __iter__(self):
            info = edata.get_worker_info()
            start, step = (0, 1) if info is None else (info.id, info.num_workers)
            return iter(range(start, 10, step))
    batches = [b.tolist() for b in edata.DataLoader(Stream(), batch_size=2, num_workers=2)]
    assert batches == [[0, 2], [1, 3], [4, 6], [5, 7], [8], [9]]
    assert sorted(v for b in batches for v in b) == list(range(10))
    single = list(edata.DataLoader(Stream(), batch_size=None, num_workers=2))
    assert single == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]


class Failing(edata.Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            raise ValueError("sample 5 is broken")
        return i


def test_worker_exception_is_raised_in_the_main_process():
    loader = edata.DataLoader(Failing(), batch_size=2, num_workers=2)
    it = iter(loader)
    assert next(it).tolist() == [0, 1] and next(it).tolist() == [2, 3]
    with pytest.raises(ValueError) as info:
        next(it)
    message = str(info.value)
    assert message.startswith("Caught ValueError in DataLoader worker process 0.\n"
                              "Original Traceback (most recent call last):")
    assert "sample 5 is broken" in message and "__getitem__" in message
    assert next(it).tolist() == [6, 7]                 # as in torch, the epoch can go on
    del it, info
    gc.collect()


def test_worker_exception_in_a_for_loop_leaves_no_process():
    def train():
        for _ in edata.DataLoader(Failing(), batch_size=2, num_workers=2):
            pass
    with pytest.raises(ValueError, match="sample 5 is broken"):
        train()
    assert no_workers_left()


def test_key_error_and_init_error():
    class Missing(edata.Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return {}["label"]
    with pytest.raises(KeyError, match="Caught KeyError in DataLoader worker process"):
        list(edata.DataLoader(Missing(), num_workers=1))

    def bad_init(worker_id):
        raise RuntimeError("init failed in worker {}".format(worker_id))
    with pytest.raises(RuntimeError, match="init failed in worker 0"):
        list(edata.DataLoader(range(4), num_workers=1, worker_init_fn=bad_init))


def test_unpicklable_batch_is_an_error_not_a_hang():
    loader = edata.DataLoader(range(4), batch_size=2, num_workers=1,
                              collate_fn=lambda batch: (x for x in batch))
    with pytest.raises(TypeError, match="cannot pickle 'generator' object"):
        list(loader)


def test_worker_that_dies_is_reported():
    class Dies(edata.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            os.kill(os.getpid(), signal.SIGKILL)
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited "
                                           r"unexpectedly"):
        list(edata.DataLoader(Dies(), num_workers=1))


def test_timeout():
    class Slow(edata.Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            import time
            time.sleep(5)
            return i
    with pytest.raises(RuntimeError, match="DataLoader timed out after 0.2 seconds"):
        list(edata.DataLoader(Slow(), num_workers=1, timeout=0.2))


def test_breaking_out_and_deleting_the_loader_stops_the_workers():
    loader = edata.DataLoader(Squares(40), batch_size=2, num_workers=2)
    for i, _ in enumerate(loader):
        if i == 1:
            break
    del loader, _
    gc.collect()
    assert no_workers_left()
    it = iter(edata.DataLoader(Squares(40), batch_size=2, num_workers=2))
    next(it)
    assert len(multiprocessing.active_children()) == 2
    del it
    gc.collect()
    assert no_workers_left()


def test_persistent_workers_are_reused_and_stopped():
    loader = edata.DataLoader(WhoLoads(), batch_size=2, num_workers=2, persistent_workers=True)
    first = {p for b in loader for p in b["pid"].tolist()}
    assert len(multiprocessing.active_children()) == 2       # still there between epochs
    partial = iter(loader)
    next(partial)                                            # an epoch left early ...
    second = {p for b in loader for p in b["pid"].tolist()}  # ... does not disturb the next
    assert first == second
    shuffled = edata.DataLoader(Squares(10), batch_size=3, shuffle=True, num_workers=2,
                                persistent_workers=True)
    plain = edata.DataLoader(Squares(10), batch_size=3, shuffle=True)
    ember.manual_seed(2)
    with_workers = [epoch(shuffled) for _ in range(3)]
    ember.manual_seed(2)
    assert with_workers == [epoch(plain) for _ in range(3)]
    assert with_workers[0] != with_workers[1]
    del loader, partial, shuffled
    gc.collect()
    assert no_workers_left()


def test_persistent_iterable_dataset_restarts_each_epoch():
    class Stream(edata.IterableDataset):
        def __iter__(self):
            info = edata.get_worker_info()
            return iter(range(info.id, 6, info.num_workers))
    loader = edata.DataLoader(Stream(), batch_size=2, num_workers=2, persistent_workers=True)
    assert [b.tolist() for b in loader] == [b.tolist() for b in loader] == [[0, 2], [1, 3],
                                                                             [4], [5]]
    del loader


def test_in_order_false_and_prefetch_factor():
    loader = edata.DataLoader(range(30), batch_size=3, num_workers=2, in_order=False,
                              prefetch_factor=1)
    assert sorted(v for b in loader for v in b.tolist()) == list(range(30))


def test_spawn_context_is_accepted():
    loader = edata.DataLoader(range(4), batch_size=2, num_workers=1,
                              multiprocessing_context="spawn")
    assert [b.tolist() for b in loader] == [[0, 1], [2, 3]]


def test_too_many_workers_warns():
    with pytest.warns(UserWarning, match="This DataLoader will create 999 worker processes in "
                                         "total"):
        edata.DataLoader(range(3), num_workers=999)
