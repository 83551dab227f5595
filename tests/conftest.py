"""Hypothesis profiles, and the one headless browser the browser tests share.

CI must not pass or fail by luck, so the default profile derandomizes the examples. Run
`HYPOTHESIS_PROFILE=explore .venv/bin/python -m pytest tests/test_properties.py` to look for new
counterexamples; add any it finds to a case table.

The review page (test_review.py) and the TEI as CETEIcean renders it (test_rendering.py) run in
Debian's chromium driven by Playwright, whose synchronous API allows one instance per process.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("default", derandomize=True, database=None)
settings.register_profile("explore", max_examples=5000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    in_ci = os.environ.get("CI") == "true"
    if not CHROMIUM.exists():
        if in_ci:
            pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); the review page "
                    "is then only checked as HTML, and the TEI is not rendered")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci:
            raise
        pytest.skip("playwright is not installed: .venv/bin/python -m pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
