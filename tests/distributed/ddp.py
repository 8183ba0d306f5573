"""Run by tests/test_distributed.py under ``mpirun -n 2``: DistributedDataParallel against one
process training on the combined batch."""
import numpy as np

import ember
import ember.distributed as dist
from ember import nn
from ember.nn.parallel import DistributedDataParallel as DDP
from ember.utils.data import DataLoader, DistributedSampler, TensorDataset

dist.init_process_group("mpi")
rank, size = dist.get_rank(), dist.get_world_size()
assert size == 2

rng = np.random.default_rng(0)
X = ember.tensor(rng.standard_normal((48, 6)).astype("float32"))
Y = ember.tensor(rng.integers(0, 3, 48))
data = TensorDataset(X, Y)


def mlp(seed):
    ember.manual_seed(seed)
    return nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 3))


def close(a, b):
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=2e-5, atol=2e-6)


def train_reference(model, batches, steps_per_sync=1):
    """One process, each step on the combined batch: what DDP must reproduce."""
    opt = ember.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    for step, idx in enumerate(batches):
        loss = loss_fn(model(X[idx]), Y[idx]) / steps_per_sync
        loss.backward()
        if (step + 1) % steps_per_sync == 0:
            opt.step()
            opt.zero_grad()
    return model


def combined_batches(batch, epochs):
    """Step s of the 2-process run trains on the union of both ranks' s-th batches."""
    out = []
    for epoch in range(epochs):
        per_rank = []
        for r in range(size):
            sampler = DistributedSampler(data, num_replicas=size, rank=r, seed=3)
            sampler.set_epoch(epoch)
            ids = list(sampler)
            per_rank.append([ids[i:i + batch] for i in range(0, len(ids), batch)])
        out += [sum(parts, []) for parts in zip(*per_rank)]
    return out


# 1. DDP with DistributedSampler (rank and size from the process group) == one process on the
#    combined batch; rank 1 starts from other weights, which DDP replaces with rank 0's.
for bucket_cap_mb, as_view in ((25, False), (0.0001, True)):
    model = DDP(mlp(seed=rank + 1), bucket_cap_mb=bucket_cap_mb, gradient_as_bucket_view=as_view)
    if bucket_cap_mb < 1:
        assert len(model.reducer.buckets) > 2
    sampler = DistributedSampler(data, seed=3)
    loader = DataLoader(data, batch_size=4, sampler=sampler)
    opt = ember.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(2):
        sampler.set_epoch(epoch)
        for x, y in loader:
            opt.zero_grad()
            loss_fn(model(x), y).backward()
            opt.step()
    reference = train_reference(mlp(seed=1), combined_batches(4, 2))
    for (name, p), (ref_name, q) in zip(model.named_parameters(), reference.named_parameters()):
        assert name == "module." + ref_name
        close(p, q)
assert list(model.state_dict()) == ["module." + k for k in reference.state_dict()]

# 2. no_sync: two local accumulations, then a synchronised backward, average all three
model = DDP(mlp(seed=1))
loss_fn = nn.CrossEntropyLoss()
batches = combined_batches(4, 1)[:3]
mine = [b[4 * rank:4 * rank + 4] for b in batches]
with model.no_sync():
    for idx in mine[:2]:
        loss_fn(model(X[idx]), Y[idx]).backward()
local = [p.grad.clone() for p in model.parameters()]
mirrored = [None] * size
dist.all_gather_object(mirrored, [g.numpy() for g in local])
assert not np.allclose(mirrored[0][0], mirrored[1][0])       # no averaging inside no_sync
loss_fn(model(X[mine[2]]), Y[mine[2]]).backward()
reference = mlp(seed=1)
for idx in batches:
    (loss_fn(reference(X[idx]), Y[idx])).backward()
for p, q in zip(model.parameters(), reference.parameters()):
    close(p.grad, q.grad)

# 3. find_unused_parameters: a branch only rank 0 uses
class Branchy(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Linear(6, 3)
        self.extra = nn.Linear(3, 3)

    def forward(self, x, use_extra):
        h = self.trunk(x)
        return self.extra(h) if use_extra else h


ember.manual_seed(0)
model = DDP(Branchy(), find_unused_parameters=True)
x = X[:4] + rank
out = model(x, use_extra=(rank == 0))
out.sum().backward()
ember.manual_seed(0)
ref = Branchy()
(ref(X[:4], True).sum() + ref(X[:4] + 1, False).sum()).backward()
for p, q in zip(model.parameters(), ref.parameters()):
    close(p.grad, q.grad / 2)
model.zero_grad(set_to_none=True)
out = model(x, use_extra=False)                               # unused everywhere: grad stays None
out.sum().backward()
assert model.module.extra.weight.grad is None and model.module.trunk.weight.grad is not None

# 4. without find_unused_parameters, an unused parameter makes the next forward fail
model = DDP(Branchy())
model(x, use_extra=False).sum().backward()
try:
    model(x, use_extra=False)
except RuntimeError as e:
    assert str(e).startswith("Expected to have finished reduction in the prior iteration")
    assert "Parameter indices which did not receive grad for rank {}: 2 3".format(rank) in str(e)
else:
    raise AssertionError("no error for a parameter without gradient")

# 5. buffers: rank 0's running statistics reach every process at each forward
ember.manual_seed(0)
model = DDP(nn.Sequential(nn.Linear(6, 4), nn.BatchNorm1d(4)))
model(X[:8] + rank).sum().backward()
stats = model.module[1].running_mean.clone()
model(X[:8])
theirs = [ember.zeros(4) for _ in range(size)]
dist.all_gather(theirs, stats)
close(model.module[1].running_mean, theirs[0] * 0.9 + 0.1 * model.module[0](X[:8]).mean(0))
# 6. a layer applied twice (its gradient is complete only once accumulated) and one applied
#    once (complete when its node has run), in one bucket each
class Twice(nn.Module):
    def __init__(self):
        super().__init__()
        self.shared = nn.Linear(6, 6)
        self.head = nn.Linear(6, 3)

    def forward(self, x):
        return self.head(self.shared(ember.relu(self.shared(x))))


ember.manual_seed(0)
model = DDP(Twice(), bucket_cap_mb=0.0001)
idx = combined_batches(4, 1)[0]
loss_fn(model(X[idx[4 * rank:4 * rank + 4]]), Y[idx[4 * rank:4 * rank + 4]]).backward()
ember.manual_seed(0)
ref = Twice()
loss_fn(ref(X[idx]), Y[idx]).backward()
for p, q in zip(model.parameters(), ref.parameters()):
    close(p.grad, q.grad)
print("rank {}: DistributedDataParallel matches one process".format(rank))
