"""torch's CPU autocast lists: which operations run in the autocast dtype, which in float32.

From torch's documentation ("CPU Ops that can autocast to bfloat16 / to float32"), limited to the
operations ember has, each name with the places it is public in ("torch" = ``ember.x``, "Tensor"
= ``x.x()``, "F" = ``ember.nn.functional.x``, "linalg" = ``ember.linalg.x``).  Every other
operation runs in the dtype of its inputs (torch's "promote" ops, ``cat`` and ``stack``, already
promote mixed inputs).
"""

# matrix products and convolutions: the work that lower precision speeds up
LOWER_PRECISION = {
    "mm": ("torch", "Tensor"), "matmul": ("torch", "Tensor"), "bmm": ("torch", "Tensor"),
    "addmm": ("torch", "Tensor"), "baddbmm": ("torch", "Tensor"), "addbmm": ("torch", "Tensor"),
    "linear": ("F",), "prelu": ("torch", "Tensor", "F"), "einsum": ("torch",),
    "tensordot": ("torch",), "vecdot": ("linalg",),
    "conv1d": ("torch", "F"), "conv2d": ("torch", "F"), "conv3d": ("torch", "F"),
    "conv_transpose1d": ("torch", "F"), "conv_transpose2d": ("torch", "F"),
    "conv_transpose3d": ("torch", "F"), "scaled_dot_product_attention": ("F",),
}
# losses, reductions and solvers that lose too much in lower precision
FLOAT32 = {
    "prod": ("torch", "Tensor"), "cdist": ("torch",), "trace": ("torch", "Tensor"),
    "inverse": ("torch", "Tensor"), "pinverse": ("torch", "Tensor"),
    "quantile": ("torch", "Tensor"), "nanquantile": ("torch", "Tensor"),
    "mse_loss": ("F",), "l1_loss": ("F",), "smooth_l1_loss": ("F",), "huber_loss": ("F",),
    "cross_entropy": ("F",), "nll_loss": ("F",), "binary_cross_entropy": ("F",),
    "binary_cross_entropy_with_logits": ("F",), "kl_div": ("F",), "poisson_nll_loss": ("F",),
    "margin_ranking_loss": ("F",), "soft_margin_loss": ("F",), "hinge_embedding_loss": ("F",),
    "cosine_embedding_loss": ("F",), "triplet_margin_loss": ("F",), "multi_margin_loss": ("F",),
    "multilabel_margin_loss": ("F",), "max_pool3d": ("F",), "avg_pool3d": ("F",),
    "adaptive_avg_pool3d": ("F",), "max_unpool2d": ("F",), "max_unpool3d": ("F",),
    "cholesky": ("torch", "Tensor", "linalg"), "inv": ("linalg",), "qr": ("linalg",),
    "svd": ("linalg",), "svdvals": ("linalg",), "eigh": ("linalg",), "eigvalsh": ("linalg",),
    "lstsq": ("linalg",), "solve": ("linalg",),
}
# F.pad runs in float32 for the reflect and replicate modes only
PAD_FLOAT32_MODES = ("reflect", "replicate")
