"""The HTML page: real numbers from a real store, escaped model output, no external resources."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from toolgym.report import render_html, run_section, transcripts_to_show
from toolgym.store import Store


def _sections(db: str, names: list[str], cap: int = 500):
    with Store(db) as store:
        out = []
        for name in names:
            run = store.get_run(name)
            results = list(store.results(run.id))
            picked = transcripts_to_show(results, cap)
            shown = [(r, store.rollout(run.id, r.task_id, r.sample)) for r in picked]
            out.append(run_section(run, results, shown))
    return out


@pytest.fixture(scope="module")
def page(report_db: str) -> str:
    return render_html(_sections(report_db, ["alpha", "beta"]), generated_at=datetime(2025, 1, 2, tzinfo=UTC))


def _run_part(page: str, i: int) -> str:
    return page.split(f'<section id="run-{i}">')[1].split("</section>")[0]


def _row(part: str, first_cell: str) -> list[str]:
    match = re.search(rf"<tr[^>]*><td>{re.escape(first_cell)}</td>(.*?)</tr>", part)
    assert match, f"no row {first_cell!r}"
    return re.findall(r"<td[^>]*>(.*?)</td>", match.group(1))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def test_per_category_accuracy_is_shown_with_its_interval(page: str) -> None:
    alpha = _run_part(page, 1)
    assert _row(alpha, "simple")[:3] == ["3", "3", "66.7"]
    assert _row(alpha, "parallel")[:3] == ["2", "2", "50.0"]
    assert _row(alpha, "irrelevance")[:3] == ["1", "1", "0.0"]
    overall = _row(alpha, "overall")
    assert overall[:3] == ["6", "6", "50.0"]
    assert re.fullmatch(r"\[\d+\.\d, \d+\.\d\]", overall[3])


def test_repeats_add_pass_hat_k_and_bfcl_mode_adds_its_summary(page: str) -> None:
    beta = _run_part(page, 2)
    assert "pass^2 %" in beta
    assert _row(beta, "simple")[:3] == ["2", "4", "75.0"]
    assert _row(beta, "overall")[2:3] == ["83.3"] and _row(beta, "overall")[4] == "66.7"
    label = re.search(r"<td>(BFCL v4 overall \(\d+/22 categories run; others count 0\))</td>", beta).group(1)
    assert len(_row(beta, label)) == 5  # a full row: tasks .. pass^2
    assert "pass^2" not in _run_part(page, 1)


def test_manifest_failure_kinds_and_figures_are_shown(page: str) -> None:
    alpha = _run_part(page, 1)
    for text in ("tiny", "fc-core@abc123", "temperature 0, top_p 1, max_tokens 256, seed 7", "toolgym"):
        assert text in alpha
    assert _row(alpha, "should_call")[:2] == ["1", "16.7"]
    assert _row(alpha, "infrastructure errors (not scored)")[0] == "1"
    # latencies of the counted rollouts: 0.5, 1.5, 4.0, 1.0, 1.0, 1.0
    assert _row(alpha, "latency per rollout (s)")[:3] == ["1.00", "2.75", "1.50"]
    assert _row(alpha, "prompt tokens per rollout")[2:] == ["100.0", "600"]
    assert "1 rollouts ended on infrastructure errors and 1 could not be scored" in alpha


def test_model_output_is_escaped(page: str) -> None:
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<img" not in page
    assert "Paris&lt;/pre&gt;&lt;b&gt;bold&lt;/b&gt;" in page  # in a tool call's JSON and the explanation
    assert "<b>bold" not in page


def test_page_has_no_external_resources(page: str) -> None:
    parser = _Collector()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert not {"link", "img", "iframe", "object", "embed", "base"} & set(tags)
    assert [a for t, a in parser.tags if t == "script"] == [{}]  # one inline script, no src
    for tag, attrs in parser.tags:
        for name, value in attrs.items():
            assert not re.search(r"(https?:)?//", value or ""), f"<{tag} {name}={value!r}>"
    assert not re.search(r"url\(|@import", "".join(parser.styles))
    # the only URL in the file is the one a model wrote, escaped
    assert page.count("https://") == page.count("https://evil.example/x.png") == 1
    assert "http://" not in page


def test_failed_transcripts_are_listed_and_passed_ones_are_not(page: str) -> None:
    alpha = _run_part(page, 1)
    failed = ("simple-bad-3", "parallel-bad-2", "irrelevance-bad-1", "simple-infra-4", "parallel-unscored-3")
    for task in failed:
        assert f'<span class="mono">{task}</span>' in alpha
    for task in ("simple-ok-1", "simple-ok-2", "parallel-ok-1"):
        assert task not in alpha
    assert "expected a call to get_weather, got text" in alpha
    assert "HTTP 503 after 3 retries" in alpha
    assert '&quot;name&quot;: &quot;get_weather&quot;,\n' in alpha  # tool calls as pretty JSON
    for kind in ("should_abstain", "unscored", "infra_error"):
        assert f'<span class="kind">{kind}</span>' in alpha
    assert "<details" in alpha and "Showing the first" not in alpha
    beta = _run_part(page, 2)
    assert '<span class="mono">simple-ok-2</span> #1' in beta and "simple-ok-1" not in beta


def test_chart_and_contents_cover_every_run(page: str) -> None:
    assert page.count("<svg") == 1
    assert "alpha · simple: 66.7%" in page and "beta · simple: 75.0%" in page
    for anchor in ("#overview", "#chart", "#run-1", "#run-2-transcripts"):
        assert f'href="{anchor}"' in page
    ids = re.findall(r'id="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_transcripts_are_capped_and_the_page_says_so(report_db: str) -> None:
    capped = render_html(_sections(report_db, ["alpha"], cap=2))
    assert "Showing the first 2 of 5 rollouts that did not pass" in capped
    assert capped.count('<span class="mono">') == 2


def test_a_run_without_scored_rollouts_renders(report_db: str) -> None:
    section = _sections(report_db, ["alpha"])[0].model_copy(
        update={"accuracy": None, "figures": None, "failures": {}, "transcripts": []}
    )
    html = render_html([section])
    assert "No run has scored rollouts yet" in html and "<svg" not in html
