"""Helpers the issue-12 browser tests share: sign in, and wait for a page to settle."""

from playwright.sync_api import expect


def sign_in(page, live_server, username, password="pw"):
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name=username)).to_be_visible()
    return page


def collect_console_errors(page) -> list[str]:
    """Errors the page logs from now on (a CSP violation or a JavaScript error shows here)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def screenshot_of(locator, name: str) -> None:
    """Just this element (a dialog, a panel), beside the full-page screenshots."""
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def wait_until(page, expression: str, timeout: float = 5000) -> None:
    """page.wait_for_function without eval in the page: the Content-Security-Policy refuses
    Playwright's in-page eval, while page.evaluate goes through DevTools and is allowed."""
    import time

    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:.0f} ms: {expression}")
        page.wait_for_timeout(50)
