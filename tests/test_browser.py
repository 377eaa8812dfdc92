"""The search page in a real browser: Debian's Chromium driven by Playwright against a
real ``opyt serve`` over the ingested sample documents.

`make install` installs Chromium (the Makefile's ``chromium`` target); without it
the test is skipped, saying so.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from opyt.matching import find_mentors
from tests.live_pages import sample_store, serve

NEED = "Кто может провести мастер-класс по заданию 18 профильного ЕГЭ по математике?"
UNRELATED = "Нужен опыт по технике безопасности в школьной химической лаборатории"


def chromium_binary() -> str:
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        pytest.skip("Debian's chromium is not installed (`make install` installs it through the Makefile's chromium target)")
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    binary = chromium_binary()
    pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra: pip install -e '.[dev]'")
    store_dir = tmp_path_factory.mktemp("browser") / "store"
    with sample_store(store_dir) as store:
        expected = find_mentors(store, NEED)
    assert expected["items"], "the sample documents must hold someone for task 18"
    with serve(store_dir) as base_url:
        yield {"url": base_url, "chromium": binary, "first": expected["items"][0]["holder"]}


@pytest.fixture(scope="module")
def page(site: dict):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=site["chromium"], headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            context = browser.new_context(locale="ru-RU")
            yield context.new_page()
        finally:
            browser.close()


def _search(page, site: dict, text: str) -> None:
    page.goto(site["url"] + "/")
    page.get_by_label("Что нужно?").fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Найти").click()


def test_a_need_about_task_18_puts_the_right_holder_first(page, site: dict) -> None:
    _search(page, site, NEED)
    holders = page.locator("ol.results li.holder")
    assert holders.count() >= 1
    first = holders.first
    assert first.get_attribute("data-holder") == site["first"]["id"]
    assert first.locator("a.holder-name").inner_text().strip() == site["first"]["name"]
    assert first.locator("blockquote.quote").count() >= 1
    # the name leads to the holder's own page
    with page.expect_navigation():
        first.locator("a.holder-name").click()
    assert page.locator("h1").inner_text().strip() == site["first"]["name"]
    assert page.locator("article.entity").get_attribute("data-iri") == site["first"]["id"]


def test_an_unrelated_need_finds_nobody(page, site: dict) -> None:
    _search(page, site, UNRELATED)
    assert page.locator("p.empty").inner_text().strip() == "Пока никого нет"
    assert page.locator("li.holder").count() == 0
    assert page.get_by_label("Что нужно?").input_value() == UNRELATED
