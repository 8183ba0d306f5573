"""ember.utils.data in the main process: datasets, samplers, collation, DataLoader, against torch."""
import collections
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ember
from ember.utils import data as edata
from parity import same_error

torch = pytest.importorskip("torch")
tdata = torch.utils.data


def plain(x):
    """Tensors (ember or torch) and containers as plain Python values that compare with ==."""
    if isinstance(x, (ember.Tensor, torch.Tensor)):
        return ("tensor", str(x.dtype), tuple(x.shape), x.tolist())
    if isinstance(x, dict):
        return (type(x).__name__, {k: plain(v) for k, v in x.items()})
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [plain(v) for v in x])
    return x


def same_data_error(fn):
    """``fn(lib, lib.utils.data)`` raises the same exception and text with ember as with torch."""
    same_error(lambda lib: fn(lib, lib.utils.data))


# ---------------------------------------------------------------- datasets


def test_tensor_dataset_rows_and_length():
    X, y = ember.arange(12.).reshape(6, 2), ember.arange(6)
    ds = edata.TensorDataset(X, y)
    assert len(ds) == 6
    x3, y3 = ds[3]
    assert x3.tolist() == [6., 7.] and y3.item() == 3
    assert [t.tolist() for t in ds[1:3]] == [[[2., 3.], [4., 5.]], [1, 2]]
    same_data_error(lambda lib, d: d.TensorDataset(lib.zeros(3), lib.zeros(4)))


def test_dataset_base_class_and_add():
    same_data_error(lambda lib, d: d.Dataset()[0])
    a, b = edata.TensorDataset(ember.arange(3)), edata.TensorDataset(ember.arange(3, 5))
    both = a + b
    assert isinstance(both, edata.ConcatDataset)
    assert [both[i][0].item() for i in range(len(both))] == [0, 1, 2, 3, 4]


def test_concat_dataset_indexing_and_errors():
    ds = edata.ConcatDataset([range(3), range(10, 12), range(20, 24)])
    tds = tdata.ConcatDataset([range(3), range(10, 12), range(20, 24)])
    assert len(ds) == len(tds) == 9
    assert ds.cumulative_sizes == tds.cumulative_sizes == [3, 5, 9]
    assert [ds[i] for i in range(-9, 9)] == [tds[i] for i in range(-9, 9)]
    same_data_error(lambda lib, d: d.ConcatDataset([range(3)])[-4])
    same_data_error(lambda lib, d: d.ConcatDataset([]))

    class Stream(edata.IterableDataset):
        def __iter__(self):
            yield 1
    with pytest.raises(AssertionError, match="ConcatDataset does not support IterableDataset"):
        edata.ConcatDataset([Stream()])


def test_subset_and_getitems():
    ds = edata.Subset(range(100), [5, 7, 9])
    assert len(ds) == 3 and ds[1] == 7 and ds.__getitems__([2, 0]) == [9, 5]

    class Bad(edata.Subset):
        def __getitem__(self, i):
            return 0
    with pytest.raises(NotImplementedError, match="overrides __getitem__ but not __getitems__"):
        Bad(range(3), [0])


def test_stack_dataset_tuple_and_dict():
    a, b = range(4), [x * x for x in range(4)]
    assert edata.StackDataset(a, b)[2] == tdata.StackDataset(a, b)[2] == (2, 4)
    assert edata.StackDataset(x=a, y=b)[3] == {"x": 3, "y": 9}
    assert len(edata.StackDataset(a, b)) == 4
    assert edata.StackDataset(x=a, y=b).__getitems__([0, 1]) == [{"x": 0, "y": 0},
                                                                 {"x": 1, "y": 1}]
    same_data_error(lambda lib, d: d.StackDataset(range(3), range(4)))
    same_data_error(lambda lib, d: d.StackDataset())
    same_data_error(lambda lib, d: d.StackDataset(range(3), x=range(3)))


def test_chain_dataset():
    class Count(edata.IterableDataset):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(self.n))

        def __len__(self):
            return self.n
    chain = Count(2) + Count(3)
    assert isinstance(chain, edata.ChainDataset)
    assert list(chain) == [0, 1, 0, 1, 2] and len(chain) == 5


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.7], [0.25, 0.25, 0.5], [0.33, 0.33, 0.34],
                                     [1.0]])
def test_random_split_lengths_match_torch(lengths):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = edata.random_split(range(10), lengths)
        theirs = tdata.random_split(range(10), lengths)
    assert [len(s) for s in ours] == [len(s) for s in theirs]
    together = sorted(i for s in ours for i in s)
    assert together == list(range(10))                   # a partition: nothing lost or repeated


def test_random_split_is_reproducible_and_random():
    g = ember.Generator().manual_seed(42)
    first = [list(s) for s in edata.random_split(range(20), [10, 10], generator=g)]
    g.manual_seed(42)
    again = [list(s) for s in edata.random_split(range(20), [10, 10], generator=g)]
    ember.manual_seed(1)
    a = [list(s) for s in edata.random_split(range(20), [0.5, 0.5])]
    ember.manual_seed(1)
    b = [list(s) for s in edata.random_split(range(20), [0.5, 0.5])]
    assert first == again and a == b
    assert first[0] != list(range(10))


def test_random_split_errors_and_warning():
    same_data_error(lambda lib, d: d.random_split(range(10), [3, 3]))
    same_data_error(lambda lib, d: d.random_split(range(10), [1.5, -0.5]))
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        edata.random_split(range(2), [1.0, 0.0])


# ---------------------------------------------------------------- samplers


def test_sequential_and_batch_sampler_match_torch():
    for n, bs, drop in [(10, 3, False), (10, 3, True), (9, 3, True), (1, 5, False), (0, 2, False)]:
        ours = edata.BatchSampler(edata.SequentialSampler(range(n)), bs, drop)
        theirs = tdata.BatchSampler(tdata.SequentialSampler(range(n)), bs, drop)
        assert list(ours) == list(theirs)
        assert len(ours) == len(theirs)
    same_data_error(lambda lib, d: d.BatchSampler(range(3), 0, False))
    same_data_error(lambda lib, d: d.BatchSampler(range(3), True, False))
    same_data_error(lambda lib, d: d.BatchSampler(range(3), 2, 1))


def test_random_sampler_permutation_and_num_samples():
    ember.manual_seed(0)
    order = list(edata.RandomSampler(range(50)))
    assert sorted(order) == list(range(50)) and order != list(range(50))
    long = list(edata.RandomSampler(range(4), num_samples=10))
    assert len(long) == 10
    assert sorted(long[:4]) == sorted(long[4:8]) == [0, 1, 2, 3]    # whole permutations first
    with_replacement = list(edata.RandomSampler(range(3), replacement=True, num_samples=100))
    assert len(with_replacement) == 100 and set(with_replacement) == {0, 1, 2}
    assert len(edata.RandomSampler(range(3), replacement=True, num_samples=70)) == 70
    same_data_error(lambda lib, d: d.RandomSampler(range(3), replacement=1))
    same_data_error(lambda lib, d: d.RandomSampler(range(3), num_samples=0))
    same_data_error(lambda lib, d: d.RandomSampler([]))


def test_random_sampler_seeding():
    ember.manual_seed(3)
    a = [list(edata.RandomSampler(range(30))) for _ in range(2)]
    ember.manual_seed(3)
    b = [list(edata.RandomSampler(range(30))) for _ in range(2)]
    assert a == b and a[0] != a[1]                    # reproducible, and a new order each epoch
    g = ember.Generator().manual_seed(5)
    c = list(edata.RandomSampler(range(30), generator=g))
    g.manual_seed(5)
    assert list(edata.RandomSampler(range(30), generator=g)) == c


def test_subset_random_sampler():
    indices = [10, 20, 30, 40]
    drawn = list(edata.SubsetRandomSampler(indices))
    assert sorted(drawn) == indices and len(edata.SubsetRandomSampler(indices)) == 4


def test_weighted_random_sampler():
    sampler = edata.WeightedRandomSampler([0.0, 1.0, 3.0, 0.0], 400)
    drawn = list(sampler)
    assert len(drawn) == len(sampler) == 400 and set(drawn) == {1, 2}
    assert 0.6 < drawn.count(2) / 400 < 0.9
    unique = list(edata.WeightedRandomSampler([1, 1, 1, 1, 1], 5, replacement=False))
    assert sorted(unique) == [0, 1, 2, 3, 4]
    assert sampler.weights.dtype == ember.float64
    same_data_error(lambda lib, d: d.WeightedRandomSampler([1., 2.], 0))
    same_data_error(lambda lib, d: d.WeightedRandomSampler([1., 2.], True))
    same_data_error(lambda lib, d: d.WeightedRandomSampler([1., 2.], 2, replacement=None))
    same_data_error(lambda lib, d: d.WeightedRandomSampler([[1., 2.]], 2))


@pytest.mark.parametrize("n,replicas,drop_last", [(5, 2, False), (5, 2, True), (10, 3, False),
                                                   (10, 3, True), (2, 4, False), (7, 7, False)])
def test_distributed_sampler_without_shuffle_matches_torch(n, replicas, drop_last):
    for rank in range(replicas):
        ours = edata.DistributedSampler(range(n), replicas, rank, shuffle=False,
                                        drop_last=drop_last)
        theirs = tdata.DistributedSampler(range(n), replicas, rank, shuffle=False,
                                          drop_last=drop_last)
        assert list(ours) == list(theirs)
        assert len(ours) == len(theirs) and ours.total_size == theirs.total_size


def test_distributed_sampler_notes_example_and_shuffle():
    ranks = [list(edata.DistributedSampler(range(5), num_replicas=2, rank=r, shuffle=False))
             for r in (0, 1)]
    assert ranks == [[0, 2, 4], [1, 3, 0]]
    shuffled = [edata.DistributedSampler(range(10), num_replicas=2, rank=r) for r in (0, 1)]
    epoch0 = [list(s) for s in shuffled]
    assert sorted(epoch0[0] + epoch0[1]) == list(range(10))        # the ranks split the data
    assert [list(s) for s in shuffled] == epoch0                   # same epoch: same order
    for s in shuffled:
        s.set_epoch(1)
    epoch1 = [list(s) for s in shuffled]
    assert epoch1 != epoch0 and sorted(epoch1[0] + epoch1[1]) == list(range(10))
    same_data_error(lambda lib, d: d.DistributedSampler(range(5), num_replicas=2, rank=2))
    same_data_error(lambda lib, d: d.DistributedSampler(range(5)))


# ---------------------------------------------------------------- collation


Point = collections.namedtuple("Point", ["x", "y"])


def collate_cases(lib):
    return [
        [1, 2, 3],
        [1.5, 2.0],
        [1, 2.5],
        [True, False],
        ["a", "b"],
        [b"a", b"b"],
        [np.float32(1), np.float32(2)],
        [np.int64(4), np.int64(5)],
        [np.array([1, 2]), np.array([3, 4])],
        [np.ones((2, 2), np.float32), np.zeros((2, 2), np.float32)],
        [lib.tensor([1., 2.]), lib.tensor([3., 4.])],
        [lib.tensor(1), lib.tensor(2)],
        [lib.tensor([1], dtype=lib.int32), lib.tensor([2], dtype=lib.int64)],
        [lib.tensor([1.], dtype=lib.float16), lib.tensor([2], dtype=lib.int64)],
        [(lib.tensor([1., 2.]), 0), (lib.tensor([3., 4.]), 1)],
        [{"x": 1.0, "y": [1, 2], "s": "a"}, {"x": 2.0, "y": [3, 4], "s": "b"}],
        [Point(1, 2.0), Point(3, 4.0)],
        [[1, "a"], [2, "b"]],
        [collections.OrderedDict(a=1), collections.OrderedDict(a=2)],
    ]


@pytest.mark.parametrize("case", range(len(collate_cases(ember))))
def test_default_collate_matches_torch(case):
    ours = edata.default_collate(collate_cases(ember)[case])
    theirs = tdata.default_collate(collate_cases(torch)[case])
    assert plain(ours) == plain(theirs)


def test_default_collate_python_floats_are_float64():
    batch = edata.default_collate([(0.5, 1), (1.5, 2)])
    assert batch[0].dtype == ember.float64 and batch[1].dtype == ember.int64


def test_default_collate_errors_match_torch():
    same_data_error(lambda lib, d: d.default_collate([object(), object()]))
    same_data_error(lambda lib, d: d.default_collate([np.array(["a"]), np.array(["b"])]))
    same_data_error(lambda lib, d: d.default_collate([[1, 2], [1]]))
    same_data_error(lambda lib, d: d.default_collate([lib.zeros(2, 3), lib.zeros(2, 4)]))


def test_default_collate_keeps_the_graph():
    w = ember.ones(2, requires_grad=True)
    batch = edata.default_collate([w * 2, w * 3])
    batch.sum().backward()
    assert w.grad.tolist() == [5., 5.]


def convert_cases(lib):
    return [np.array([1, 2]), np.float32(3), [np.array(1.), "x", (np.float32(3),)],
            {"a": np.zeros(2)}, Point(np.array(0), 1), np.array(["a"]), "text", 5,
            lib.tensor([1, 2])]


@pytest.mark.parametrize("case", range(len(convert_cases(ember))))
def test_default_convert_matches_torch(case):
    ours = edata.default_convert(convert_cases(ember)[case])
    theirs = tdata.default_convert(convert_cases(torch)[case])
    if isinstance(theirs, np.ndarray):
        assert isinstance(ours, np.ndarray) and ours.tolist() == theirs.tolist()
    else:
        assert plain(ours) == plain(theirs)


# ---------------------------------------------------------------- DataLoader


def squares(lib, n=10):
    return lib.utils.data.TensorDataset(lib.arange(float(n)).reshape(n, 1), lib.arange(n) ** 2)


@pytest.mark.parametrize("n,bs,drop_last", [(10, 4, False), (10, 4, True), (8, 4, True),
                                            (3, 5, False), (3, 5, True), (10, 1, False)])
def test_loader_length_and_batches_match_torch(n, bs, drop_last):
    ours = edata.DataLoader(squares(ember, n), batch_size=bs, drop_last=drop_last)
    theirs = tdata.DataLoader(squares(torch, n), batch_size=bs, drop_last=drop_last)
    assert len(ours) == len(theirs) == (n // bs if drop_last else math.ceil(n / bs))
    assert [plain(b) for b in ours] == [plain(b) for b in theirs]


def test_loader_defaults_and_notes_example():
    loader = edata.DataLoader(range(10), batch_size=4)
    assert [b.shape[0] for b in loader] == [4, 4, 2]
    assert edata.DataLoader(range(10), batch_size=4, drop_last=True).__len__() == 2
    default = edata.DataLoader(range(3))
    assert default.batch_size == 1 and not default.drop_last and len(default) == 3
    assert isinstance(default.sampler, edata.SequentialSampler)
    assert isinstance(edata.DataLoader(range(3), shuffle=True).sampler, edata.RandomSampler)
    assert [b.tolist() for b in default] == [[0], [1], [2]]


def test_shuffled_epoch_sees_every_sample_once_and_is_seeded():
    loader = edata.DataLoader(squares(ember, 23), batch_size=5, shuffle=True)
    ember.manual_seed(7)
    epoch1 = [b[1].tolist() for b in loader]
    epoch2 = [b[1].tolist() for b in loader]
    ember.manual_seed(7)
    again = [b[1].tolist() for b in loader]
    flat = sorted(v for b in epoch1 for v in b)
    assert flat == [i * i for i in range(23)]
    assert epoch1 == again and epoch1 != epoch2
    assert [len(b) for b in epoch1] == [5, 5, 5, 5, 3]


def test_loader_generator_controls_the_order():
    g = ember.Generator()
    loader = edata.DataLoader(range(20), batch_size=20, shuffle=True, generator=g)
    g.manual_seed(11)
    a = next(iter(loader)).tolist()
    ember.manual_seed(123)                 # the default generator does not matter here
    g.manual_seed(11)
    assert next(iter(loader)).tolist() == a


@given(st.integers(1, 30), st.integers(1, 8), st.booleans(), st.booleans())
@settings(max_examples=30, deadline=None)
def test_loader_properties(n, bs, shuffle, drop_last):
    loader = edata.DataLoader(squares(ember, n), batch_size=bs, shuffle=shuffle,
                              drop_last=drop_last)
    batches = list(loader)
    assert len(batches) == len(loader)
    sizes = [b[0].shape[0] for b in batches]
    assert all(s == bs for s in sizes[:-1])
    assert sum(sizes) == (n - n % bs if drop_last else n)
    for x, y in batches:
        assert x.dtype == ember.float32 and y.dtype == ember.int64 and x.shape[1:] == (1,)
        assert (x.reshape(-1).long() ** 2).tolist() == y.tolist()     # rows stay together
    seen = [v for _, y in batches for v in y.tolist()]
    assert len(set(seen)) == len(seen)


def test_batch_size_none_returns_samples():
    ours = list(edata.DataLoader([np.array([1, 2]), np.array([3, 4])], batch_size=None))
    theirs = list(tdata.DataLoader([np.array([1, 2]), np.array([3, 4])], batch_size=None))
    assert [plain(x) for x in ours] == [plain(x) for x in theirs]
    assert len(edata.DataLoader(range(7), batch_size=None)) == 7


def test_custom_sampler_batch_sampler_and_collate_fn():
    loader = edata.DataLoader(range(10), sampler=[9, 8, 7], batch_size=2)
    assert [b.tolist() for b in loader] == [[9, 8], [7]]
    loader = edata.DataLoader(range(10), batch_sampler=[[1, 2, 3], [0]])
    assert [b.tolist() for b in loader] == [[1, 2, 3], [0]] and len(loader) == 2
    loader = edata.DataLoader(range(5), batch_size=2, collate_fn=lambda batch: sum(batch))
    assert list(loader) == [1, 5, 4]


def test_dataset_getitems_is_used():
    class Batched(edata.Dataset):
        calls = []

        def __len__(self):
            return 6

        def __getitem__(self, i):
            raise AssertionError("the loader should read whole batches")

        def __getitems__(self, indices):
            self.calls.append(list(indices))
            return [i * 10 for i in indices]
    ds = Batched()
    assert [b.tolist() for b in edata.DataLoader(ds, batch_size=4)] == [[0, 10, 20, 30], [40, 50]]
    assert ds.calls == [[0, 1, 2, 3], [4, 5]]


def test_iterable_dataset_loading():
    class Stream(edata.IterableDataset):
        def __iter__(self):
            return iter(range(7))

    class TStream(tdata.IterableDataset):
        def __iter__(self):
            return iter(range(7))
    for kwargs in [dict(batch_size=3), dict(batch_size=3, drop_last=True), dict(batch_size=None)]:
        ours = [plain(b) for b in edata.DataLoader(Stream(), **kwargs)]
        theirs = [plain(b) for b in tdata.DataLoader(TStream(), **kwargs)]
        assert ours == theirs


def test_iterable_dataset_length_warning():
    class Stream(edata.IterableDataset):
        def __iter__(self):
            return iter(range(5))

        def __len__(self):
            return 2
    loader = edata.DataLoader(Stream(), batch_size=None)
    assert len(loader) == 2
    with pytest.warns(UserWarning, match="was reported to be 2"):
        list(loader)


def test_loader_option_errors_match_torch():
    class Stream(torch.utils.data.IterableDataset):
        def __iter__(self):
            return iter(())

    class EStream(edata.IterableDataset):
        def __iter__(self):
            return iter(())

    def stream(d):
        return EStream() if d is edata else Stream()
    same_data_error(lambda lib, d: d.DataLoader(range(3), shuffle=True, sampler=[0, 1]))
    same_data_error(lambda lib, d: d.DataLoader(range(3), batch_sampler=[[0]], batch_size=2))
    same_data_error(lambda lib, d: d.DataLoader(range(3), batch_sampler=[[0]], shuffle=True))
    same_data_error(lambda lib, d: d.DataLoader(range(3), batch_sampler=[[0]], drop_last=True))
    same_data_error(lambda lib, d: d.DataLoader(range(3), batch_size=None, drop_last=True))
    same_data_error(lambda lib, d: d.DataLoader(range(3), num_workers=-1))
    same_data_error(lambda lib, d: d.DataLoader(range(3), timeout=-1))
    same_data_error(lambda lib, d: d.DataLoader(range(3), prefetch_factor=2))
    same_data_error(lambda lib, d: d.DataLoader(range(3), persistent_workers=True))
    same_data_error(lambda lib, d: d.DataLoader(range(3), num_workers=1, prefetch_factor=-1))
    same_data_error(lambda lib, d: d.DataLoader(range(3), multiprocessing_context="fork"))
    same_data_error(lambda lib, d: d.DataLoader(range(3), num_workers=1,
                                                multiprocessing_context="x"))
    same_data_error(lambda lib, d: d.DataLoader(stream(d), shuffle=True))
    same_data_error(lambda lib, d: d.DataLoader(range(3), batch_size=0))
    loader = edata.DataLoader(range(3))
    for attr in ["batch_size", "sampler", "dataset", "drop_last"]:
        with pytest.raises(ValueError, match=attr + " attribute should not be set after "
                                                    "DataLoader is initialized"):
            setattr(loader, attr, None)
    loader.num_workers = 0                     # other attributes may change


def test_pin_memory_warns_like_torch_on_a_cpu_machine():
    with pytest.warns(UserWarning, match="'pin_memory' argument is set as true but no "
                                         "accelerator is found"):
        list(edata.DataLoader(range(3), pin_memory=True))


def test_exception_in_dataset_propagates_unchanged():
    class Broken(edata.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            if i == 2:
                raise KeyError("bad index 2")
            return i
    loader = iter(edata.DataLoader(Broken(), batch_size=1))
    assert next(loader).tolist() == [0] and next(loader).tolist() == [1]
    with pytest.raises(KeyError, match="bad index 2"):
        next(loader)
