"""The layers of ``ember.nn``, one torch family a file; ``module.py`` holds the base class."""
from .module import Module
from .activation import *       # noqa: F401,F403
from .batchnorm import *        # noqa: F401,F403
from .container import *        # noqa: F401,F403
from .conv import *             # noqa: F401,F403
from .distance import *         # noqa: F401,F403
from .dropout import *          # noqa: F401,F403
from .flatten import *          # noqa: F401,F403
from .linear import *           # noqa: F401,F403
from .loss import *             # noqa: F401,F403
from .normalization import *    # noqa: F401,F403
from .padding import *          # noqa: F401,F403
from .pooling import *          # noqa: F401,F403
from .rnn import *              # noqa: F401,F403
from .rnn_cell import *         # noqa: F401,F403
from .attention import *        # noqa: F401,F403
from .transformer import *      # noqa: F401,F403
from .pixelshuffle import *     # noqa: F401,F403
from .upsampling import *       # noqa: F401,F403
from .lazy import *             # noqa: F401,F403
from .fold import *             # noqa: F401,F403
from .adaptive import *         # noqa: F401,F403
from .sparse import *           # noqa: F401,F403
from .loss_ctc import *         # noqa: F401,F403
from .pooling_fractional import *  # noqa: F401,F403
from . import (activation, batchnorm, container, conv, distance, dropout, flatten, linear, loss,
               module, normalization, padding, pooling, rnn, rnn_cell, sparse, attention,
               transformer, pixelshuffle, upsampling, lazy, fold, adaptive, loss_ctc,
               pooling_fractional)

__all__ = ["Module"] + [name for family in (activation, batchnorm, container, conv, distance,
                                            dropout, flatten, linear, loss, normalization,
                                            padding, pooling, rnn, rnn_cell, sparse,
                                            attention, transformer, pixelshuffle,
                                            upsampling, lazy, fold, adaptive, loss_ctc,
                                            pooling_fractional)
                        for name in family.__all__]
