"""``nn.utils``: gradient clipping, conversions between parameters and vectors, packed sequences
(``nn.utils.rnn``), weight and spectral normalization, ``skip_init`` and
``stateless.functional_call``."""
from . import clip_grad, convert_parameters, init, rnn, stateless
from . import parametrizations, parametrize  # noqa: F401
from .clip_grad import (_clip_grads_with_norm_, _get_total_norm, clip_grad_norm,
                        clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, get_total_norm)
from .convert_parameters import parameters_to_vector, vector_to_parameters
from .init import skip_init
from .spectral_norm import remove_spectral_norm, spectral_norm
from .weight_norm import remove_weight_norm, weight_norm

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm",
           "clip_grads_with_norm_", "parameters_to_vector", "vector_to_parameters", "weight_norm",
           "remove_weight_norm", "skip_init", "spectral_norm", "remove_spectral_norm"]
