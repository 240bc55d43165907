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
    from playwright.sync_api import Error

    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # A live page's poll may swap the element out between finding and painting it; the
    # locator finds the new one on the next try.
    for attempt in range(3):
        try:
            locator.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
            return
        except Error as error:
            if "not attached" not in str(error) or attempt == 2:
                raise


def wait_until(page, expression: str, timeout: float = 5000) -> None:
    """page.wait_for_function without eval in the page: the Content-Security-Policy refuses
    Playwright's in-page eval, while page.evaluate goes through DevTools and is allowed."""
    import time

    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:.0f} ms: {expression}")
        page.wait_for_timeout(50)


def open_panel(page, panel_id: str, button_name: str):
    """Open one of the Develop page's panels (#new-connector, #upload-bundle) and wait until it
    has: Bootstrap marks it .show when it stops growing, and a click inside it while a loaded
    machine still animated it was lost."""
    from playwright.sync_api import expect

    panel = page.locator(f"#{panel_id}")
    if not panel.evaluate("el => el.classList.contains('show') || el.classList.contains('collapsing')"):
        page.get_by_role("button", name=button_name, exact=True).click()
    expect(page.locator(f"#{panel_id}.show")).to_be_visible()
    return panel
