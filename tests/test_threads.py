"""``set_num_threads`` sizes the BLAS thread pool that matrix products run in, as torch's
sets its intra-op threads; the errors are torch's."""
import pytest

import ember
from parity import same_error

threadpoolctl = pytest.importorskip("threadpoolctl")


def _blas_threads():
    return [p["num_threads"] for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]


@pytest.fixture
def restore_threads():
    before = ember.get_num_threads()
    yield
    ember.set_num_threads(before)


def test_set_num_threads_sizes_the_blas_pool(restore_threads):
    ember.set_num_threads(1)
    assert ember.get_num_threads() == 1
    assert _blas_threads() and set(_blas_threads()) == {1}
    a = ember.ones(64, 64)
    assert (a @ a)[0, 0].item() == 64.0


def test_the_default_is_the_pool_of_all_cores():
    assert ember.get_num_threads() >= 1


@pytest.mark.parametrize("n", [0, -1, 1.5, True])
def test_bad_thread_counts_are_torchs_errors(n):
    same_error(lambda lib: lib.set_num_threads(n))
