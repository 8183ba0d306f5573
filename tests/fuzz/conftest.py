"""The fuzz tests run after every other test of a session: torch warns some warnings only once
per process (``TORCH_WARN_ONCE``), and the fuzzer's calls would use those up before the tests
that compare ember's warnings with torch's."""


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: "tests/fuzz/" in item.nodeid.replace("\\", "/"))
