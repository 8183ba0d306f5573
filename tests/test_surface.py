"""ember's public surface against torch's: prints the coverage table (``pytest -s``) and fails
when a name that issue 10 asks for (``surface.REQUIRED``, and every in-place twin torch has of an
operation ember has) is missing."""
import pytest

torch = pytest.importorskip("torch")

import surface  # noqa: E402


@pytest.fixture(scope="module")
def rows():
    return surface.survey()


def test_prints_the_coverage_table(rows):
    print()
    print(surface.table(rows))
    assert all(0 < have <= total for _, total, have, _, _ in rows)


@pytest.mark.parametrize("label", [row[0] for row in surface.NAMESPACES])
def test_no_required_name_is_missing(rows, label):
    missing = {row[0]: row[4] for row in rows}[label]
    assert missing == [], "{} lacks {}".format(label, " ".join(missing))


def test_required_names_exist_in_torch():
    """The list itself is right: every required name is one of torch's."""
    for label, _, torch_path, attr in surface.NAMESPACES:
        obj = surface._resolve(torch_path, attr)
        assert [n for n in surface.REQUIRED.get(label, ()) if not hasattr(obj, n)] == []
