"""Run by tests/test_distributed.py under ``mpirun -n N``: every collective of
ember.distributed against the same computation done with NumPy on all ranks' data."""
import datetime

import numpy as np

import ember
import ember.distributed as dist

dist.init_process_group("gloo")
rank, size = dist.get_rank(), dist.get_world_size()
assert dist.is_initialized() and dist.get_backend() == "gloo"


def data(r, shape=(2, 3), dtype="float32"):
    """Rank r's input: distinct on every rank, exact in every dtype used."""
    return (np.arange(np.prod(shape)).reshape(shape) % 5 + 3 * r + 1).astype(dtype)


def equal(tensor, expected):
    got = tensor.numpy()
    assert got.dtype == np.asarray(expected).dtype, (got.dtype, np.asarray(expected).dtype)
    np.testing.assert_allclose(got, expected, rtol=1e-6)


everyone = [data(r) for r in range(size)]
reductions = {dist.ReduceOp.SUM: np.sum, dist.ReduceOp.AVG: np.mean, dist.ReduceOp.MIN: np.min,
              dist.ReduceOp.MAX: np.max, dist.ReduceOp.PRODUCT: np.prod}

# all_reduce, every op, blocking and async, float and int, a non-contiguous tensor
for op, fn in reductions.items():
    t = ember.tensor(data(rank))
    dist.all_reduce(t, op=op)
    equal(t, fn(np.stack(everyone), axis=0).astype("float32"))
    t = ember.tensor(data(rank))
    work = dist.all_reduce(t, op=op, async_op=True)
    assert work.wait() is True and work.is_completed() and work.result()[0] is t
    equal(t, fn(np.stack(everyone), axis=0).astype("float32"))
ints = [data(r, dtype="int64") for r in range(size)]
for op, fn in ((dist.ReduceOp.BAND, np.bitwise_and.reduce),
               (dist.ReduceOp.BOR, np.bitwise_or.reduce),
               (dist.ReduceOp.BXOR, np.bitwise_xor.reduce), (dist.ReduceOp.SUM, np.sum)):
    t = ember.tensor(ints[rank])
    dist.all_reduce(t, op=op)
    equal(t, fn(np.stack(ints), axis=0))
flags = [np.array([r == 0, True, False]) for r in range(size)]
t = ember.tensor(flags[rank])
dist.all_reduce(t)                                          # bool SUM: logical or
equal(t, np.logical_or.reduce(np.stack(flags)))
for dtype in ("float16", "float64", "int8", "uint8", "int32"):
    t = ember.tensor(data(rank, dtype=dtype))
    dist.all_reduce(t)
    equal(t, np.stack([data(r, dtype=dtype) for r in range(size)]).sum(0).astype(dtype))
t = ember.tensor(data(rank, (3, 4))).t()                    # not contiguous
dist.all_reduce(t)
equal(t, np.stack([data(r, (3, 4)) for r in range(size)]).sum(0).T)
p = ember.nn.Parameter(ember.tensor(data(rank)))            # a leaf that requires grad
dist.all_reduce(p)
equal(p.detach(), np.stack(everyone).sum(0))

# reduce and broadcast, to and from every rank
for root in range(size):
    t = ember.tensor(data(rank))
    dist.reduce(t, dst=root, op=dist.ReduceOp.MAX)
    equal(t, np.max(everyone, axis=0) if rank == root else data(rank))
    t = ember.tensor(data(rank))
    dist.broadcast(t, src=root)
    equal(t, data(root))
    t = ember.tensor(data(rank))
    dist.broadcast(t, src=root, async_op=True).wait()
    equal(t, data(root))

# all_gather, all_gather_into_tensor (concatenated and stacked), gather, scatter
out = [ember.zeros(2, 3) for _ in range(size)]
dist.all_gather(out, ember.tensor(data(rank)))
for r in range(size):
    equal(out[r], data(r))
out = ember.zeros(2 * size, 3)
dist.all_gather_into_tensor(out, ember.tensor(data(rank)), async_op=True).wait()
equal(out, np.concatenate(everyone))
out = ember.zeros(size, 2, 3)
dist.all_gather_into_tensor(out, ember.tensor(data(rank)))
equal(out, np.stack(everyone))
root = size - 1
gathered = [ember.zeros(2, 3) for _ in range(size)] if rank == root else None
dist.gather(ember.tensor(data(rank)), gathered, dst=root)
if rank == root:
    for r in range(size):
        equal(gathered[r], data(r))
t = ember.zeros(2, 3)
dist.scatter(t, [ember.tensor(data(r) * 10) for r in range(size)] if rank == 0 else None, src=0)
equal(t, data(rank) * 10)

# reduce_scatter and reduce_scatter_tensor: piece i of everyone's input, summed, to rank i
pieces = {r: [data(r) + 100 * i for i in range(size)] for r in range(size)}
out = ember.zeros(2, 3)
dist.reduce_scatter(out, [ember.tensor(a) for a in pieces[rank]])
equal(out, sum(pieces[r][rank] for r in range(size)))
out = ember.zeros(2, 3)
dist.reduce_scatter_tensor(out, ember.tensor(np.concatenate(pieces[rank])),
                           op=dist.ReduceOp.AVG)
equal(out, sum(pieces[r][rank] for r in range(size)) / size)

# all_to_all with pieces of different sizes, all_to_all_single equal and uneven
def piece(src, dst):
    return np.full(src + dst + 1, 10 * src + dst, "float32")


out = [ember.zeros(len(piece(r, rank))) for r in range(size)]
dist.all_to_all(out, [ember.tensor(piece(rank, d)) for d in range(size)])
for r in range(size):
    equal(out[r], piece(r, rank))
inp = ember.tensor(np.concatenate([np.full((2, 2), 10 * rank + d, "float32") for d in range(size)]))
out = ember.zeros(2 * size, 2)
dist.all_to_all_single(out, inp)
equal(out, np.concatenate([np.full((2, 2), 10 * r + rank, "float32") for r in range(size)]))
inp = ember.tensor(np.concatenate([piece(rank, d) for d in range(size)]))
out = ember.zeros(sum(len(piece(r, rank)) for r in range(size)))
dist.all_to_all_single(out, inp, [len(piece(r, rank)) for r in range(size)],
                       [len(piece(rank, d)) for d in range(size)])
equal(out, np.concatenate([piece(r, rank) for r in range(size)]))

# point to point: a ring, blocking and not, with tags; recv from any source
right, left = (rank + 1) % size, (rank - 1) % size
if rank == 0:
    dist.send(ember.tensor(data(rank)), dst=right, tag=7)
    t = ember.zeros(2, 3)
    assert dist.recv(t, src=left, tag=7) == left
else:
    t = ember.zeros(2, 3)
    assert dist.recv(t, tag=7) == left
    dist.send(ember.tensor(data(rank)), dst=right, tag=7)
equal(t, data(left))
t = ember.zeros(2, 3)
works = [dist.isend(ember.tensor(data(rank)), dst=right), dist.irecv(t, src=left)]
for w in works:
    w.wait(timeout=datetime.timedelta(seconds=30))
equal(t, data(left))
dist.barrier()
dist.barrier(async_op=True).wait()

# objects
objs = [None] * size
dist.all_gather_object(objs, {"rank": rank, "name": "r%d" % rank})
assert objs == [{"rank": r, "name": "r%d" % r} for r in range(size)]
objs = ["mine", rank] if rank else ["from zero", [1, 2]]
dist.broadcast_object_list(objs, src=0)
assert objs == ["from zero", [1, 2]]
gathered = [None] * size if rank == 0 else None
dist.gather_object(("r", rank), gathered, dst=0)
assert rank != 0 or gathered == [("r", r) for r in range(size)]
out = [None]
dist.scatter_object_list(out, [{"to": r} for r in range(size)] if rank == 1 else None, src=1)
assert out == [{"to": rank}]

# a group of ranks 1..: ranks in the group's calls are global ranks
members = list(range(1, size))
sub = dist.new_group(members)
if rank in members:
    assert dist.get_rank(sub) == rank - 1 and dist.get_world_size(sub) == size - 1
    assert dist.get_process_group_ranks(sub) == members
    t = ember.tensor(data(rank))
    dist.all_reduce(t, group=sub)
    equal(t, sum(data(r) for r in members))
    t = ember.tensor(data(rank))
    dist.broadcast(t, src=size - 1, group=sub)
    equal(t, data(size - 1))
else:
    assert sub == dist.GroupMember.NON_GROUP_MEMBER
    assert dist.get_rank(sub) == -1
    assert dist.all_reduce(ember.ones(1), group=sub) is None

# torch's errors (gloo's texts), raised before any communication, so on every rank alike
def fails(kind, text, call):
    try:
        call()
    except kind as e:
        assert str(e) == text, (str(e), text)
    else:
        raise AssertionError("no error: " + text)


prefix = "ProcessGroupGloo::"
fails(ValueError, "trying to initialize the default process group twice!",
      lambda: dist.init_process_group("gloo"))
fails(TypeError, "Invalid function argument. Expected parameter `tensor` of type torch.Tensor\n"
                 "             but got <class 'list'> instead.", lambda: dist.all_reduce([1]))
fails(RuntimeError, prefix + "allgather: invalid output tensor list at index 0 (expected length "
      "{}, got 1)".format(size), lambda: dist.all_gather([ember.zeros(2)], ember.ones(2)))
fails(RuntimeError, prefix + "allgather: invalid tensor size at index 0 (expected (2), got (3))",
      lambda: dist.all_gather([ember.zeros(3)] * size, ember.ones(2)))
fails(RuntimeError, prefix + "broadcast: invalid root rank: {}".format(size),
      lambda: dist.broadcast(ember.ones(2), src=size))
fails(RuntimeError, prefix + "broadcast: invalid root rank: -1",
      lambda: dist.broadcast(ember.ones(2), src=-1))
fails(RuntimeError, prefix + "reduce: invalid root rank: {}".format(size + 3),
      lambda: dist.reduce(ember.ones(2), dst=size + 3))
fails(RuntimeError, prefix + "scatter: Incorrect input list size 1. Input list size should be "
      "{}, same as size of the process group.".format(size),
      lambda: dist.scatter(ember.zeros(2), [ember.ones(2)], src=rank))
fails(ValueError, "Invalid destination rank: destination rank should not be the same as the "
                  "rank of the current process.", lambda: dist.send(ember.ones(2), dst=rank))
fails(RuntimeError, prefix + "alltoall: input tensor list size 1 does not match world size "
      "{}".format(size), lambda: dist.all_to_all([ember.zeros(2)], [ember.ones(2)]))
fails(RuntimeError, "Cannot use ReduceOp.BAND with non-integral dtype",
      lambda: dist.all_reduce(ember.ones(2), op=dist.ReduceOp.BAND))
fails(ValueError, "Rank {0} is out of range. Valid ranks are 0 to {1} (world_size={0})"
      .format(size, size - 1), lambda: dist.new_group([0, size]))

dist.destroy_process_group()
assert not dist.is_initialized()
print("rank {} of {}: all collectives agree with NumPy".format(rank, size))
