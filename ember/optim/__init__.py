"""``ember.optim``: optimizers that update parameters from their gradients, and learning-rate
schedulers (``ember.optim.lr_scheduler``).

Every optimizer follows the same loop::

    optimizer = ember.optim.SGD(model.parameters(), lr=0.01)
    for x, y in data:
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()     # forget the previous gradients
        loss.backward()           # compute new ones
        optimizer.step()          # move each parameter against its gradient
"""
from . import lr_scheduler, swa_utils
from .adadelta import Adadelta
from .adafactor import Adafactor
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .asgd import ASGD
from .lbfgs import LBFGS
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD

__all__ = ["Adadelta", "Adafactor", "Adagrad", "Adam", "Adamax", "AdamW", "ASGD", "LBFGS",
           "NAdam", "Optimizer", "RAdam", "RMSprop", "Rprop", "SGD", "lr_scheduler", "swa_utils"]
