"""The worker simulator in a real headless Chromium: a message goes out signed and encrypted, the reply comes back,
and what a job later sends through the fake WeChat API shows up in the chat."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import pytest

pytestmark = pytest.mark.browser


def bubbles(browser, kind: str) -> list[str]:
    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, f"#chat .msg.{kind} span")]


def test_simulator_round_trips_a_message(browser, server, ctx, run_jobs, tmp_path):
    browser.get(f"{server}/simulator")
    assert "微信模拟器" in browser.title
    box = browser.find_element(By.ID, "text")
    box.send_keys("查询")
    browser.find_element(By.ID, "send").click()
    WebDriverWait(browser, 15).until(lambda b: bubbles(b, "bot"))
    assert "查" in bubbles(browser, "bot")[0]
    assert any("已加密" in text for text in bubbles(browser, "sys"))  # safe mode by default
    assert run_jobs() == 1  # the status job answers through the (fake) customer-service API
    WebDriverWait(browser, 15).until(lambda b: bubbles(b, "api"))
    assert "工单" in bubbles(browser, "api")[0]
    browser.save_screenshot(str(tmp_path / "simulator.png"))
