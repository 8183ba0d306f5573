"""Seeded programs print torch's numbers: layers start with torch's weights, ``nn.init``,
dropout masks, shuffled DataLoaders and ``random_split`` draw what torch draws, and short
training runs (a LeNet, an MLP with dropout, a shuffled DataLoader epoch) print torch's
losses."""
import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")

SEEDS = [0, 1, 2024]


def _numpy(values):
    return [v.detach().numpy() if hasattr(v, "detach") else np.asarray(v) for v in values]


def identical(fn, seeds=SEEDS):
    """``fn(lib)`` gives the same values with both libraries after each seed (exactly), and
    leaves both generators in the same state."""
    for seed in seeds:
        torch.manual_seed(seed)
        ember.manual_seed(seed)
        for t, e in zip(_numpy(fn(torch)), _numpy(fn(ember))):
            assert e.dtype == t.dtype and e.shape == t.shape
            assert np.array_equal(e, t), (seed, t, e)
        assert np.array_equal(ember.get_rng_state().numpy(), torch.get_rng_state().numpy())


LAYERS = ["nn.Linear(5, 3)", "nn.Linear(17, 33, bias=False)", "nn.Conv1d(3, 4, 3)",
          "nn.Conv2d(2, 5, (3, 2))", "nn.Conv2d(4, 8, 5, groups=2)", "nn.Conv3d(1, 2, 2)",
          "nn.ConvTranspose1d(3, 2, 3)", "nn.ConvTranspose2d(3, 2, 3)", "nn.BatchNorm1d(4)",
          "nn.BatchNorm2d(3)", "nn.LayerNorm(6)", "nn.GroupNorm(2, 4)", "nn.Embedding(10, 4)",
          "nn.Embedding(7, 3, padding_idx=2)", "nn.EmbeddingBag(6, 3)", "nn.Bilinear(3, 4, 5)",
          "nn.PReLU()"]


@pytest.mark.parametrize("layer", LAYERS)
def test_default_weights(layer):
    identical(lambda L: list(eval(layer, {"nn": L.nn}).parameters()))


INITS = ["I.uniform_(t)", "I.uniform_(t, -1, 2)", "I.normal_(t)", "I.normal_(t, 0.5, 3)",
         "I.xavier_uniform_(t)", "I.xavier_normal_(t, gain=2)", "I.kaiming_uniform_(t)",
         "I.kaiming_uniform_(t, a=5 ** 0.5)", "I.kaiming_normal_(t)",
         "I.kaiming_normal_(t, mode='fan_out', nonlinearity='relu')", "I.trunc_normal_(t)",
         "I.trunc_normal_(t, std=0.02)", "I.trunc_normal_(t, mean=1, a=2, b=5)",
         "I.sparse_(t, 0.5)"]


@pytest.mark.parametrize("init", INITS)
@pytest.mark.parametrize("shape", [(4, 5), (17, 1), (16, 3), (3, 2, 3, 3)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_init(init, shape, dtype):
    if "sparse" in init and len(shape) != 2:
        return

    def fill(L):
        t = L.empty(shape, dtype=getattr(L, dtype))
        return [eval(init, {"I": L.nn.init, "t": t})]
    identical(fill)


def test_init_with_a_generator():
    identical(lambda L: [L.nn.init.normal_(L.empty(20), generator=L.Generator().manual_seed(3)),
                         L.nn.init.kaiming_uniform_(L.empty(3, 4),
                                                    generator=L.Generator().manual_seed(4)),
                         L.rand(2)])


def test_orthogonal_draws_torchs_matrix():
    """The Gaussian matrix is torch's; its QR decomposition (LAPACK's, in float32) may differ
    from torch's in the last bits."""
    for seed in SEEDS:
        for shape in ((4, 5), (6, 3), (2, 3, 4)):
            torch.manual_seed(seed)
            ember.manual_seed(seed)
            t = torch.nn.init.orthogonal_(torch.empty(shape)).numpy()
            e = ember.nn.init.orthogonal_(ember.empty(shape)).numpy()
            np.testing.assert_allclose(e, t, rtol=1e-5, atol=1e-6)
            assert np.array_equal(ember.get_rng_state().numpy(), torch.get_rng_state().numpy())


def test_dropout_masks():
    def drop(L):
        F, x = L.nn.functional, L.ones(4, 6, 3, 2)
        return [F.dropout(x, 0.3), F.dropout(L.ones(17), 0.5), L.nn.Dropout(0.2)(L.ones(5, 5)),
                F.dropout2d(x, 0.5), L.nn.Dropout2d()(x), F.dropout1d(L.ones(3, 4, 5), 0.5),
                F.dropout1d(L.ones(4, 5), 0.25), F.dropout3d(L.ones(2, 3, 2, 2, 2), 0.5),
                F.dropout3d(L.ones(3, 2, 2, 2), 0.5), F.alpha_dropout(L.ones(20), 0.3, True),
                F.feature_alpha_dropout(x, 0.4, training=True), L.nn.AlphaDropout(0.2)(x),
                F.dropout(L.ones(8), 0.5, inplace=True), F.dropout(L.ones(7).t(), 0.1),
                F.dropout(L.ones(3, 4, dtype=L.float64), 0.6), F.rrelu(L.randn(300), training=True)]
    identical(drop)


def test_shuffled_loaders_samplers_and_splits():
    def data(L):
        D = L.utils.data
        ds = D.TensorDataset(L.arange(23.0), L.arange(23))
        out = [y for _ in range(2) for _, y in D.DataLoader(ds, batch_size=5, shuffle=True)]
        a, b = D.random_split(range(23), [0.7, 0.3])
        c, d = D.random_split(range(10), [3, 7], generator=L.Generator().manual_seed(1))
        out += [L.tensor(list(part)) for part in (a, b, c, d)]
        out.append(L.tensor(list(D.RandomSampler(range(10), replacement=True, num_samples=40))))
        out.append(L.tensor(list(D.RandomSampler(range(10), num_samples=25))))
        out.append(L.tensor(list(D.WeightedRandomSampler([0.1, 0.5, 1, 2], 7))))
        out.append(L.tensor(list(D.WeightedRandomSampler([0.1, 0.5, 1, 2], 3, False))))
        out.append(L.tensor(list(D.SubsetRandomSampler([3, 5, 9, 11]))))
        g = L.Generator().manual_seed(3)
        out.append(L.tensor(list(D.RandomSampler(range(10), generator=g))))
        return out + [L.rand(2)]
    identical(data)


# ---------------------------------------------------------------- training runs


def _lenet(L):
    nn, F = L.nn, L.nn.functional

    class LeNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1, self.conv2 = nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5)
            self.fc1, self.fc2 = nn.Linear(400, 120), nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), 2)
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = F.relu(self.fc1(x.flatten(1)))
            return self.fc3(F.relu(self.fc2(x)))
    L.manual_seed(0)
    model = LeNet()
    optimizer = L.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x, y = L.randn(16, 1, 28, 28), L.randint(0, 10, (16,))
    printed = []
    for _ in range(5):
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        printed.append("{:.4f}".format(loss.item()))
    return printed


def _mlp_with_dropout(L):
    nn = L.nn
    L.manual_seed(1)
    model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 32),
                          nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 3))
    optimizer = L.optim.Adam(model.parameters(), lr=0.01)
    x, y = L.randn(64, 10), L.randint(0, 3, (64,))
    printed = []
    for _ in range(10):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        printed.append("{:.4f}".format(loss.item()))
    model.eval()
    printed.append("{:.4f}".format(nn.functional.cross_entropy(model(x), y).item()))
    return printed


def _loader_epoch(L):
    nn, D = L.nn, L.utils.data
    L.manual_seed(2)
    x = L.randn(100, 4)
    y = (x @ L.tensor([[1.0], [-2.0], [0.5], [3.0]]) + 0.1 * L.randn(100, 1))
    loader = D.DataLoader(D.TensorDataset(x, y), batch_size=16, shuffle=True)
    model = nn.Linear(4, 1)
    optimizer = L.optim.SGD(model.parameters(), lr=0.1)
    printed = []
    for epoch in range(2):
        for xb, yb in loader:
            loss = nn.functional.mse_loss(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            printed.append("{:.4f}".format(loss.item()))
    return printed


@pytest.mark.parametrize("run", [_lenet, _mlp_with_dropout, _loader_epoch])
def test_training_prints_torchs_losses(run):
    assert run(ember) == run(torch)
