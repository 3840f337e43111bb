"""The view in a real browser: Playwright driving Debian's headless chromium against a loopback server.

Saves screenshots of the main pages to build/screenshots/view/ (look at them after a change).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolgym.arena import BattleRecord, BattleStore

from .conftest import PAYLOADS, Served, chromium_path

playwright_api = pytest.importorskip("playwright.sync_api", reason="needs playwright: pip install playwright")

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots" / "view"

pytestmark = pytest.mark.skipif(chromium_path() is None,
                                reason="needs Debian's chromium: apt-get install -y chromium (or set TOOLGYM_CHROMIUM)")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []  # chromium's sandbox refuses to run as root
        launched = p.chromium.launch(executable_path=chromium_path(), args=args)
        yield launched
        launched.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_runs_then_a_transcript_then_compare(served: Served, page):
    page.goto(served.url)
    assert page.locator("table#runs tbody tr").count() == 5
    shot(page, "runs")
    page.get_by_role("link", name="weather-b", exact=True).click()
    page.wait_for_selector("text=Accuracy by category")
    assert page.locator(".bar .fill").first.evaluate("e => e.style.width") == "50%"  # drawn by view.js
    shot(page, "run")
    page.get_by_role("link", name="Failed transcripts").click()
    page.wait_for_selector("details.rollout[open] .call-name")
    assert page.locator("details.rollout[open] .call-name").first.inner_text() == "get_weather"
    assert "wrong_value" in page.locator("details.rollout").first.locator("summary").inner_text()
    shot(page, "transcripts")
    page.locator("nav.top").get_by_role("link", name="Compare").click()
    page.select_option("select[name=a]", label="weather-a")
    page.select_option("select[name=b]", label="weather-b")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector("table.flips")
    shot(page, "compare")
    first_flip = page.locator("table.flips a.task").first
    task = first_flip.inner_text()
    first_flip.click()
    page.wait_for_selector(".side-by-side")
    assert task in page.locator("h1").inner_text() and page.locator(".side-by-side .transcript").count() == 4
    shot(page, "compare-task")


def test_hostile_transcripts_never_execute(served: Served, browser):
    # bypass_csp: the page's Content-Security-Policy would stop inline script anyway; escaping alone must hold
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(served.url)
    page.get_by_role("link", name="weather-a", exact=True).click()
    page.get_by_role("link", name="All transcripts").click()
    page.eval_on_selector_all("details.rollout", "els => els.forEach(e => { e.open = true; })")  # render them all
    assert page.get_by_text(PAYLOADS[0]).count() > 0 and page.get_by_text(PAYLOADS[1]).count() > 0
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    for path in ("/arena/battles?source=votes:web", "/vote", "/runs/1/rollout?task=task-000&sample=0"):
        page.goto(served.url + path)
        hrefs += page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert page.evaluate("window.__pwned") is None and dialogs == []
    assert page.locator("img").count() == 0
    assert not any(h.strip().lower().startswith("javascript:") for h in hrefs)
    context.close()


def test_twenty_votes_change_the_leaderboard(served: Served, page):
    with BattleStore(served.db) as battles:  # earlier votes: the thorough model wins every time
        for seq, weak in enumerate(("model-weak", "model-mid") * 3, 1):
            battles.write([BattleRecord("votes:web", "arena:prompts.jsonl@p1", f"q{seq:02d}", "model-strong", weak,
                                        seq, "general", verdict="model_a", outcome="a")])
    board = served.url + "/arena?source=votes:web&prior=0.1"
    page.goto(board)
    assert page.locator("#leaderboard tbody tr").first.get_attribute("data-model") == "model-strong"
    for i in range(20):  # this voter prefers terse answers
        page.goto(served.url + "/vote")
        source = page.content()
        assert not any(m in source for m in ("model-strong", "model-weak", "model-mid"))
        a, b = page.inner_text("#answer-a"), page.inner_text("#answer-b")
        if i == 0:
            shot(page, "vote")
        choice = "A is better" if a.startswith("terse") else "B is better" if b.startswith("terse") else "Tie"
        page.get_by_role("button", name=choice).click()
        page.wait_for_selector("#revealed")
        assert "model-" in page.inner_text("#revealed")
    shot(page, "voted")
    page.goto(board)
    assert page.locator("#leaderboard tbody tr").first.get_attribute("data-model") == "model-weak"
    shot(page, "arena")
    with BattleStore(served.db) as battles:
        assert sum(1 for r in battles.records("votes:web") if r.voter) == 20


def test_a_running_eval_shows_live_progress(served: Served, page):
    from toolgym.store import RunManifest, Store
    from toolgym.types import Rollout, Verdict

    with Store(served.db) as store:
        run = store.open_run("live", RunManifest(suite="weather", suite_version="v1", model="openai:live"))
        store.write(run.id, [(Rollout(task_id=f"t{i}"), "simple", Verdict.ok()) for i in range(3)])
        page.goto(served.url)
        cell = f"tr[data-run='{run.id}'] [data-field=rollouts]"
        assert page.inner_text(cell) == "3"
        store.write(run.id, [(Rollout(task_id=f"t{i}"), "simple", Verdict.ok()) for i in range(3, 10)])
        playwright_api.expect(page.locator(cell)).to_have_text("10", timeout=15_000)  # polled, no reload
        page.goto(f"{served.url}/runs/{run.id}")
        assert "live" in page.inner_text("#progress")
        store.write(run.id, [(Rollout(task_id="t10"), "simple", Verdict.ok())])
        playwright_api.expect(page.locator("#progress [data-field=rollouts]")).to_have_text("11", timeout=15_000)
        store.set_status(run.id, "finished")
        page.wait_for_selector("h1 .status-finished", timeout=15_000)  # the page reloads when the run ends
