"""Where the large real-world test data lives: ``shared/data`` beside the checkout.

Real Blogger exports and news pages are not committed (they are other people's writing). Tests and
benchmarks that read them find them through :data:`SHARED_DATA`, and tests ask for them with
:func:`shared_data`, which skips the test when the data is absent, except under CI.
"""

import os
from pathlib import Path

#: The folder ``shared/data`` next to the repository's own folder (``<checkout>/../shared/data``).
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def running_in_ci() -> bool:
    """Return True when the environment variable ``CI`` is ``true`` (or ``1``), as CI services set it."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1")


def shared_data(*parts: str) -> Path:
    """Return the path of ``SHARED_DATA / parts`` (a file or a folder) for a test that reads it.

    ``parts`` may start with an absolute path (a folder named by an environment variable, say),
    which then stands in for SHARED_DATA.

    When the path does not exist, skip the calling test, or, under CI (``CI=true``), fail it: a CI
    run must not pass by skipping the tests on real data. Call it from a test or a fixture.
    """
    import pytest

    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        message = f"test data not found: {path} (shared/data is expected beside the checkout)"
        if running_in_ci():
            pytest.fail(message + " (CI=true: a failure, not a skip)", pytrace=False)
        pytest.skip(message)
    return path
