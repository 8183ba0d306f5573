"""Every benchmark workload's model (../shared/bench: mlp, cnn LeNet, lstm, transformer; linreg
and micro_autograd are in test_compile.py), trained a few steps with the whole step compiled,
must leave parameters, gradients and optimizer state bit-identical to eager training.  With SGD
the steps replay; Adam and AdamW read their step count into Python after updating it, so their
steps run eagerly (and must still match)."""
import numpy as np
import pytest

import ember
from ember import nn
from test_compile import arrays_equal, assert_same_models, compiled_of


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 64)
        self.fc2 = nn.Linear(64, 32)
        self.fc3 = nn.Linear(32, 10)
        self.relu = nn.ReLU()

    def forward(self, x):
        x = self.relu(self.fc1(x))
        x = self.relu(self.fc2(x))
        return self.fc3(x)


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.pool = nn.MaxPool2d(2)
        self.relu = nn.ReLU()
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(self.relu(self.conv1(x)))
        x = self.pool(self.relu(self.conv2(x)))
        x = x.flatten(1)
        return self.fc3(self.relu(self.fc2(self.relu(self.fc1(x)))))


VOCAB, SEQ = 16, 8


class CharLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, 8)
        self.lstm = nn.LSTM(8, 16, batch_first=True)
        self.head = nn.Linear(16, VOCAB)

    def forward(self, tokens):
        h, _ = self.lstm(self.embed(tokens))
        return self.head(h).reshape(-1, VOCAB)


class TinyGPT(nn.Module):
    def __init__(self, dropout=0.0):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, 16)
        self.pos = nn.Parameter(ember.zeros(SEQ, 16))
        layer = nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, dropout=dropout,
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.head = nn.Linear(16, VOCAB)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(SEQ))

    def forward(self, tokens):
        h = self.embed(tokens) + self.pos
        h = self.encoder(h, mask=self.mask, is_causal=True)
        return self.head(h).reshape(-1, VOCAB)


def classification(shape, classes=10):
    rng = np.random.default_rng(1)
    return (ember.tensor(rng.standard_normal(shape).astype(np.float32)),
            ember.tensor(rng.integers(0, classes, shape[0])))


def tokens():
    rng = np.random.default_rng(3)
    seq = rng.integers(0, VOCAB, (4, SEQ + 1))
    return ember.tensor(seq[:, :-1]), ember.tensor(seq[:, 1:].reshape(-1))


WORKLOADS = {
    "mlp": (MLP, lambda: classification((16, 784))),
    "cnn": (LeNet, lambda: classification((4, 1, 28, 28))),
    "lstm": (CharLSTM, tokens),
    "transformer": (TinyGPT, tokens),
    "transformer_dropout": (lambda: TinyGPT(dropout=0.1), tokens),
}
OPTIMIZERS = {
    "sgd": lambda p: ember.optim.SGD(p, lr=0.01, momentum=0.9),
    "adam": lambda p: ember.optim.Adam(p, lr=3e-3),
    "adamw": lambda p: ember.optim.AdamW(p, lr=3e-3),
}


def train(workload, optimizer, compile_step, steps=5):
    make_model, data = WORKLOADS[workload]
    ember.manual_seed(0)
    model = make_model()
    opt = OPTIMIZERS[optimizer](model.parameters())
    loss_fn = nn.CrossEntropyLoss()
    x, y = data()

    def step():
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss
    if compile_step:
        step = ember.compile(step)
    losses = [step().item() for _ in range(steps)]
    return losses, model, opt, step


CASES = [(w, "sgd") for w in WORKLOADS] + [("lstm", "adam"), ("transformer", "adamw")]


@pytest.mark.parametrize("workload,optimizer", CASES)
def test_compiled_training_matches_eager_bit_for_bit(workload, optimizer):
    losses_e, eager, opt_e, _ = train(workload, optimizer, False)
    losses_c, model, opt_c, step = train(workload, optimizer, True)
    assert losses_c == losses_e
    assert_same_models(model, eager)
    for p_c, p_e in zip(model.parameters(), eager.parameters()):
        state_c, state_e = opt_c.state[p_c], opt_e.state[p_e]
        assert sorted(state_c) == sorted(state_e)
        for key in state_c:
            assert arrays_equal(state_c[key], state_e[key]), key
        assert p_c._version == p_e._version
    c = compiled_of(step)
    if optimizer == "sgd":
        assert c.replays >= 1 and c.explain() == [], (c.recordings, c.replays, c.explain())
    else:
        assert c.replays == 0 and c.explain()
