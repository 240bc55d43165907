"""Browser tests: Playwright driving Debian's chromium (libraries.md section 7).

Without chromium they are skipped with a message saying how to enable them; with
REQUIRE_BROWSER_TESTS=1 (CI) a missing chromium fails them instead.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

# The live server shares 2 cores with the other test workers, the sandbox's and chromium:
# a page that answers in 1 s alone can take 5 s (expect's default) when all of them work.
expect.set_options(timeout=15_000)

# live_server runs the app in a thread while Playwright's sync API holds an event loop
# in this one; Django would otherwise refuse ORM calls with SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
# pytest-playwright empties test-results/ when a session starts; SCREENSHOT_DIR moves them elsewhere.
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR") or Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
)
HOW_TO_ENABLE = "Browser tests skipped: chromium is not installed. Enable them with `apt-get install chromium`."


def _browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER_TESTS", "") not in ("", "0", "false", "no")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if _browser_required():
        return  # pytest_runtest_setup fails them instead
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.skip(reason=HOW_TO_ENABLE))


def _is_browser_test(item) -> bool:
    return Path(str(item.fspath)).is_relative_to(Path(__file__).parent)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture, so the message is ours and not Playwright's launch error.
    if not CHROMIUM and _browser_required() and _is_browser_test(item):
        pytest.fail("REQUIRE_BROWSER_TESTS=1 but chromium is not installed: run `apt-get install chromium`.", pytrace=False)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": LAUNCH_ARGS}


@pytest.fixture
def screenshot(page):
    """screenshot("status") saves test-results/screenshots/status.png (full page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _take(name: str):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return _take


@pytest.fixture(autouse=True)
def no_csp_violations(request):
    """Every browser test also proves the pages run under the Content-Security-Policy:
    a refused script or style shows up as a console error and fails the test."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    refused = []
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield
    assert refused == [], f"the Content-Security-Policy refused: {refused}"

