"""Collectives on picklable Python objects: mpi4py pickles them and sends the bytes (its
lower-case ``allgather``, ``bcast``, ``gather``, ``scatter``).  Each fills the list it is
given, as torch's do.  Unpickling runs code: use them only between processes you trust.
"""
from .collectives import root_rank
from .process_group import resolve

__all__ = ["all_gather_object", "broadcast_object_list", "gather_object", "scatter_object_list"]


def all_gather_object(object_list, obj, group=None):
    """``object_list[i]`` becomes process i's ``obj`` (a list of world-size length)."""
    g = resolve(group)
    if g is None:
        return
    object_list[:len(object_list)] = g.comm.allgather(obj)[:len(object_list)]


def broadcast_object_list(object_list, src=None, group=None, device=None, group_src=None):
    """Every process's ``object_list`` becomes a copy of process ``src``'s (same length)."""
    g = resolve(group)
    if g is None:
        return
    root = root_rank(g, src, group_src, "broadcast")
    received = g.comm.bcast(list(object_list) if g.rank() == root else None, root)
    if g.rank() != root:
        object_list[:] = received[:len(object_list)]


def gather_object(obj, object_gather_list=None, dst=None, group=None, group_dst=None):
    """On process ``dst``, ``object_gather_list[i]`` becomes process i's ``obj``."""
    g = resolve(group)
    if g is None:
        return
    root = root_rank(g, dst, group_dst, "gather")
    if g.rank() == root and (object_gather_list is None or len(object_gather_list) != g.size()):
        raise ValueError("Expected argument object_gather_list to be a list of size {} on the "
                         "destination rank".format(g.size()))
    gathered = g.comm.gather(obj, root)
    if g.rank() == root:
        object_gather_list[:] = gathered


def scatter_object_list(scatter_object_output_list, scatter_object_input_list=None, src=None,
                        group=None, group_src=None):
    """Process i's ``scatter_object_output_list[0]`` becomes ``scatter_object_input_list[i]``
    of process ``src``."""
    if not isinstance(scatter_object_output_list, list) or not scatter_object_output_list:
        raise ValueError("Expected argument scatter_object_output_list to be a list of size at "
                         "least 1.")
    g = resolve(group)
    if g is None:
        return
    root = root_rank(g, src, group_src, "scatter")
    objects = None
    if g.rank() == root:
        if scatter_object_input_list is None or len(scatter_object_input_list) != g.size():
            raise ValueError("Expected argument scatter_object_input_list to be a list of size "
                             "{} on the source rank".format(g.size()))
        objects = list(scatter_object_input_list)
    scatter_object_output_list[0] = g.comm.scatter(objects, root)
