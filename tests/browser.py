"""Fixtures for tests in a real headless Chromium (Debian's chromium + chromedriver) against a real server."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PHONE = (390, 844)


@pytest.fixture
def server(app):
    """The app on a real werkzeug server (free port, background thread); yields its base URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium, /usr/bin/chromedriver): run `make browser`")
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"):
        options.add_argument(flag)
    options.add_experimental_option("mobileEmulation", {  # a phone viewport (desktop windows stop at 500px)
        "deviceMetrics": {"width": PHONE[0], "height": PHONE[1], "pixelRatio": 1, "touch": True}})
    options.binary_location = str(CHROMIUM)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.implicitly_wait(5)
    yield driver
    driver.quit()
