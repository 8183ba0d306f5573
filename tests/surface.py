"""How much of torch's public surface ember has: for each namespace (top level, ``Tensor``,
``nn``, ``nn.functional`` ...), the public names of torch 2.13 and which of them ember lacks.

``REQUIRED`` lists the names that issue 10 asks for (the legacy API and the everyday names of
course code); ``tests/test_surface.py`` fails when one of them is missing, and prints the table.
Run ``python -m tests.surface`` (from the repository root) to print the table and the missing
names of each namespace.
"""
import importlib
import sys
import types

# (label, ember module path, torch module path, attribute inside the module or None)
NAMESPACES = [
    ("torch", "ember", "torch", None),
    ("Tensor", "ember", "torch", "Tensor"),
    ("nn", "ember.nn", "torch.nn", None),
    ("nn.functional", "ember.nn.functional", "torch.nn.functional", None),
    ("nn.init", "ember.nn.init", "torch.nn.init", None),
    ("nn.utils", "ember.nn.utils", "torch.nn.utils", None),
    ("optim", "ember.optim", "torch.optim", None),
    ("utils.data", "ember.utils.data", "torch.utils.data", None),
    ("autograd", "ember.autograd", "torch.autograd", None),
    ("cuda", "ember.cuda", "torch.cuda", None),
]

_TYPED = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
          "CharTensor", "ByteTensor", "BoolTensor"]

# Issue 10, sections 2 and 3, by namespace.
REQUIRED = {
    "torch": _TYPED + [
        "Tensor", "set_default_tensor_type", "typename",
        "pi", "inf", "nan", "e", "newaxis", "finfo", "iinfo", "set_default_device",
        "get_default_device", "repeat_interleave", "meshgrid", "broadcast_to",
        "broadcast_tensors", "broadcast_shapes", "rot90", "isin", "tril_indices", "triu_indices",
        "cartesian_prod", "combinations", "diagflat", "scatter_reduce", "index_reduce",
        "unique_consecutive", "bincount", "histc", "histogram", "cov", "corrcoef", "diff",
        "trapezoid", "cumulative_trapezoid", "logcumsumexp", "dist", "inner", "addr", "addbmm",
        "block_diag", "vander", "renorm", "testing", "compile", "compiler", "multiprocessing",
        "version", "cuda", "result_type", "swapaxes", "hsplit", "vsplit", "dsplit"],
    "Tensor": [
        "type", "data", "ndimension", "nbytes", "itemsize", "is_cpu", "resize_", "resize_as_",
        "new", "storage", "untyped_storage", "share_memory_", "norm", "swapaxes", "split",
        "hsplit", "vsplit", "dsplit", "unsqueeze_", "t_", "transpose_", "tril_", "triu_",
        "cumsum_", "addmm_", "repeat_interleave", "rot90", "broadcast_to", "diagflat",
        "scatter_reduce", "scatter_reduce_", "index_reduce", "index_reduce_",
        "unique_consecutive", "bincount", "histc", "histogram", "cov", "corrcoef", "diff",
        "logcumsumexp", "dist", "inner", "addr", "addr_", "addbmm", "addbmm_", "renorm",
        "renorm_"],
    "autograd": ["Variable"],
    "cuda": ["is_available", "device_count", "current_device", "set_device", "synchronize",
             "get_device_name", "get_device_properties", "get_device_capability",
             "manual_seed", "manual_seed_all", "seed", "seed_all", "initial_seed",
             "get_rng_state", "set_rng_state", "get_rng_state_all", "set_rng_state_all",
             "empty_cache", "memory_allocated", "max_memory_allocated", "memory_reserved",
             "max_memory_reserved", "reset_peak_memory_stats", "is_initialized", "init",
             "device", "is_bf16_supported", "mem_get_info", "memory_summary", "ipc_collect",
             "amp"],
}


# Helpers that torch's modules import for their own use and that ``dir`` lists with the API.
_HELPER_MODULES = {"typing", "typing_extensions", "functools", "collections.abc", "abc",
                   "contextlib", "dataclasses", "enum", "warnings"}


def public_names(obj):
    """The public names of a module or class: no leading underscore, and none of what a module
    merely imports for itself (``os``, ``typing.Any``, ``functools.lru_cache`` ...)."""
    names = set()
    for n in dir(obj):
        if n.startswith("_") or n == "TYPE_CHECKING":
            continue
        value = getattr(obj, n, None)
        if isinstance(value, types.ModuleType):
            if not value.__name__.startswith("torch"):
                continue
        elif getattr(value, "__module__", None) in _HELPER_MODULES:
            continue
        names.add(n)
    return names


def _resolve(module, attr):
    mod = importlib.import_module(module)
    return getattr(mod, attr) if attr else mod


def inplace_twins(ember_obj, torch_names):
    """The in-place variants torch has of the operations ember has: ``x_`` in torch where ember
    has ``x``."""
    return sorted(n for n in torch_names
                  if n.endswith("_") and not n.endswith("__") and n[:-1] in torch_names
                  and hasattr(ember_obj, n[:-1]))


def survey():
    """For each namespace: (label, torch's count, ember's count of them, missing names,
    required names missing)."""
    rows = []
    for label, ember_path, torch_path, attr in NAMESPACES:
        torch_obj = _resolve(torch_path, attr)
        ember_obj = _resolve(ember_path, attr)
        wanted = public_names(torch_obj)
        missing = sorted(n for n in wanted if not hasattr(ember_obj, n))
        required = set(REQUIRED.get(label, ()))
        if label in ("torch", "Tensor"):
            required |= set(inplace_twins(ember_obj, wanted))
        required_missing = sorted(n for n in required if not hasattr(ember_obj, n))
        rows.append((label, len(wanted), len(wanted) - len(missing), missing, required_missing))
    return rows


def table(rows):
    lines = ["| namespace | torch names | in ember | coverage | required missing |",
             "| --- | ---: | ---: | ---: | ---: |"]
    total = have = 0
    for label, n, k, _, req in rows:
        lines.append("| {} | {} | {} | {:.0%} | {} |".format(label, n, k, k / n, len(req)))
        total, have = total + n, have + k
    lines.append("| all | {} | {} | {:.0%} | {} |".format(
        total, have, have / total, sum(len(r[4]) for r in rows)))
    return "\n".join(lines)


def main(argv=()):
    rows = survey()
    for label, _, _, missing, req in rows:
        print("{}: {} missing".format(label, len(missing)))
        if "-v" in argv:
            print("  " + " ".join(missing))
        if req:
            print("  REQUIRED missing: " + " ".join(req))
    print()
    print(table(rows))


if __name__ == "__main__":
    main(sys.argv[1:])
