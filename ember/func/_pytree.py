"""Nested containers of tensors ("pytrees"): tuples, lists and dicts taken apart into their
leaves and put back together, so that a transform can treat ``f((x, y), {"w": w})`` like
``f(x, y, w)``."""

__all__ = ["flatten", "unflatten", "broadcast_prefix", "spec_text", "spec_short"]


def _is_node(x):
    return type(x) in (tuple, list, dict) or (isinstance(x, tuple) and hasattr(x, "_fields"))


def flatten(tree):
    """``(leaves, spec)``: the leaves in order and what ``unflatten`` needs to rebuild ``tree``."""
    leaves = []
    return leaves, _flatten(tree, leaves)


def _flatten(tree, leaves):
    if not _is_node(tree):
        leaves.append(tree)
        return None
    if isinstance(tree, dict):
        keys = list(tree)
        return (dict, keys, [_flatten(tree[k], leaves) for k in keys])
    return (type(tree), None, [_flatten(x, leaves) for x in tree])


def unflatten(leaves, spec):
    """The tree of shape ``spec`` (from ``flatten``) holding ``leaves``."""
    it = iter(leaves)
    return _build(spec, it)


def _build(spec, it):
    if spec is None:
        return next(it)
    kind, keys, children = spec
    values = [_build(c, it) for c in children]
    if kind is dict:
        return dict(zip(keys, values))
    if kind in (tuple, list):
        return kind(values)
    return kind(*values)                    # a named tuple


def broadcast_prefix(prefix, spec):
    """One entry of ``prefix`` per leaf of the tree of structure ``spec``: ``prefix`` matches
    the top of that structure, and each of its leaves stands for the whole subtree below it.
    None when the structures do not match."""
    out = []
    return out if _broadcast(prefix, spec, out) else None


def _broadcast(prefix, spec, out):
    if not _is_node(prefix):
        out.extend([prefix] * _count(spec))
        return True
    if spec is None:
        return False
    kind, keys, children = spec
    if isinstance(prefix, dict):
        if kind is not dict or sorted(prefix) != sorted(keys):
            return False
        return all(_broadcast(prefix[k], c, out) for k, c in zip(keys, children))
    if type(prefix) is not kind or len(prefix) != len(children):
        return False
    return all(_broadcast(p, c, out) for p, c in zip(prefix, children))


def _count(spec):
    return 1 if spec is None else sum(_count(c) for c in spec[2])


def spec_text(spec):
    """torch's text of a structure: ``TreeSpec(tuple, None, [*,\\n  *])``, ``*`` for a leaf."""
    if spec is None:
        return "*"
    kind, keys, children = spec
    inner = ",\n  ".join(spec_text(c).replace("\n", "\n  ") for c in children)
    return "TreeSpec({}, {}, [{}])".format(kind.__name__, keys, inner)


def spec_short(spec):
    """torch's short text of a structure: ``(*, *)``, ``[*]``, ``{'a': *}``."""
    if spec is None:
        return "*"
    kind, keys, children = spec
    parts = [spec_short(c) for c in children]
    if kind is dict:
        return "{" + ", ".join("{!r}: {}".format(k, p) for k, p in zip(keys, parts)) + "}"
    if kind is list:
        return "[" + ", ".join(parts) + "]"
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
