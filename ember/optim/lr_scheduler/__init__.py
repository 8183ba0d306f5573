"""Learning-rate schedulers: change each parameter group's ``lr`` as training goes on.

Call ``scheduler.step()`` once per epoch (or per batch, for the cyclic schedules), *after*
``optimizer.step()``::

    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
    for epoch in range(100):
        train(...)                  # calls optimizer.step()
        scheduler.step()

Most schedulers are *chainable*: each step multiplies the current ``lr`` by a factor, so two
schedulers on one optimizer compose.  Their ``state_dict()`` is the scheduler's attributes
(without the optimizer), exactly as in torch.

The package, by kind: ``base`` (``LRScheduler``), ``simple`` (the lr as a function of the
epoch), ``cyclic`` (schedules stepped every batch), ``plateau`` (driven by a metric) and
``combinators`` (schedulers made of schedulers); every name is importable from here, as from
``torch.optim.lr_scheduler``.
"""
from .base import EPOCH_DEPRECATION_WARNING, LRScheduler, _LRScheduler
from .combinators import ChainedScheduler, SequentialLR
from .cyclic import CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR
from .plateau import ReduceLROnPlateau
from .simple import (ConstantLR, CosineAnnealingLR, ExponentialLR, LambdaLR, LinearLR,
                     MultiplicativeLR, MultiStepLR, PolynomialLR, StepLR)

__all__ = ["LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR",
           "ExponentialLR", "SequentialLR", "CosineAnnealingLR", "ChainedScheduler",
           "ReduceLROnPlateau", "CyclicLR", "CosineAnnealingWarmRestarts", "OneCycleLR",
           "PolynomialLR", "LRScheduler"]
