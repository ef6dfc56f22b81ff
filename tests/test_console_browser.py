"""The staff console in a real headless Chromium on a phone-sized window (Debian's chromium + chromedriver)."""
from __future__ import annotations

import base64

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from bot.models import CannedReply
from tests.browser import PHONE
from tests.staff_data import PASSWORD

pytestmark = pytest.mark.browser


def click_and_wait(browser, element) -> None:
    """Click something that loads a new page and wait until the old one is gone."""
    browser.execute_script("window.beforeClick = true")  # gone once the next page has loaded
    element.click()
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(
        lambda driver: driver.execute_script("return !window.beforeClick && document.readyState === 'complete'"))


def test_log_in_filter_open_reply_and_see_delivery(browser, server, ctx, world, run_jobs, fake_wechat, tmp_path):
    with ctx.db.session() as s:
        s.add(CannedReply(category="wage_arrears", title="已受理", text="您好，您的欠薪问题已受理，我们明天联系您。"))
    ref = world.refs["TA1"]

    browser.get(f"{server}/staff/")
    assert "工作人员登录" in browser.page_source
    browser.find_element(By.NAME, "username").send_keys("agent_a")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("案件列表")
    browser.save_screenshot(str(tmp_path / "queue.png"))

    Select(browser.find_element(By.NAME, "office")).select_by_visible_text("镇A工业园联合会")
    browser.find_element(By.NAME, "q").send_keys("张三")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#filters button[type=submit]"))
    links = browser.find_elements(By.CSS_SELECTOR, "table.list td.main a strong")
    assert [link.text for link in links] == [ref]
    assert "138****5678" in browser.page_source and "13812345678" not in browser.page_source

    click_and_wait(browser, links[0])
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith(ref)
    Select(browser.find_element(By.ID, "canned")).select_by_visible_text("已受理")  # vanilla JS fills the box
    assert browser.find_element(By.ID, "reply-text").get_attribute("value") == "您好，您的欠薪问题已受理，我们明天联系您。"
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#reply-form button[type=submit]"))
    assert "回复已发出" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    assert browser.find_element(By.CSS_SELECTOR, "[data-delivery]").text == "排队中"

    assert run_jobs() >= 1
    browser.refresh()
    assert browser.find_element(By.CSS_SELECTOR, "[data-delivery]").text == "已送达"
    assert [m["text"] for m in fake_wechat.messages(f"o-{ref}")] == ["您好，您的欠薪问题已受理，我们明天联系您。"]
    widths = browser.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
    assert widths == [PHONE[0], PHONE[0]], f"the case page scrolls sideways on a phone: {widths}"
    browser.save_screenshot(str(tmp_path / "case.png"))
    whole = browser.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    (tmp_path / "case-full.png").write_bytes(base64.b64decode(whole["data"]))
