"""The self-contained HTML report: summaries with CIs, a chart per category, and failed transcripts.

One file that works offline: inline CSS (`template.html`), inline SVG (`svg.py`), a few lines of
vanilla JS to expand or collapse transcripts, and no external reference of any kind. Every string
that comes from a run (model output, tool results, task ids, run names, explanations) goes through
`html.escape`, so a `<script>` a model wrote is shown, never run.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from importlib import resources
from string import Template

from .._version import __version__
from ..images import thumbnail
from ..stats import Estimate
from ..types import Message, ToolCall
from .bfcl_summary import bfcl_over_runs
from .sections import RunSection, Transcript
from .svg import PALETTE, category_chart
from .tables import pct

__all__ = ["render_html"]

MAX_MESSAGE_CHARS = 20_000
"""Longest message text shown in full; longer ones are cut and say how much was left out."""


def render_html(sections: Sequence[RunSection], *, generated_at: datetime | None = None) -> str:
    """The report page for one or more runs, as one HTML string.

    Args:
        sections: one per run, in the order the page lists them (`run_section` builds them).
        generated_at: time stamped in the header; now (UTC) when None.
    """
    when = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    names = ", ".join(s.name for s in sections)
    body = [
        "<header>",
        "<h1>toolgym report</h1>",
        f'<p class="sub">{escape(names)} · generated {when} by toolgym {escape(__version__)}</p>',
        "</header>",
        _toc(sections),
        _overview(sections),
        _chart(sections),
        *(_run(i, s) for i, s in enumerate(sections, 1)),
        '<footer>Intervals are 95% confidence intervals clustered by task. Infrastructure errors and '
        "unscored rollouts are kept out of accuracy.</footer>",
    ]
    page = Template(resources.files(__package__).joinpath("template.html").read_text(encoding="utf-8"))
    return page.substitute(title=escape(f"toolgym report · {names}"), version=escape(__version__),
                           body="\n".join(body))


def _toc(sections: Sequence[RunSection]) -> str:
    items = ['<li><a href="#overview">Overview</a></li>',
             '<li><a href="#chart">Accuracy by category</a></li>']
    for i, s in enumerate(sections, 1):
        sub = "".join(
            f'<li><a href="#run-{i}-{anchor}">{label}</a></li>'
            for anchor, label in (("summary", "Accuracy"), ("failures", "Failure kinds"),
                                  ("figures", "Latency and tokens"), ("transcripts", "Failed transcripts"))
        )
        items.append(f'<li><a href="#run-{i}">{escape(s.name)}</a><ol>{sub}</ol></li>')
    return f'<nav class="toc"><strong>Contents</strong><ol>{"".join(items)}</ol></nav>'


def _overview(sections: Sequence[RunSection]) -> str:
    head = ("run", "model", "suite", "split", "mode",
            "accuracy %", "95% CI", "tasks", "samples", "infra errors")
    rows = []
    for i, s in enumerate(sections, 1):
        m = s.manifest
        acc = s.accuracy.overall if s.accuracy else None
        rows.append(_row([
            f'<a href="#run-{i}">{escape(s.name)}</a>', escape(m.model),
            escape(f"{m.suite}@{m.suite_version}"), escape(str(m.split or "all")), escape(m.mode),
            *_estimate_cells(acc),
            _num(acc.n_tasks if acc else "–"), _num(acc.n if acc else "–"), _num(s.infra_errors),
        ]))
    overview = f'<h2 id="overview">Overview</h2>{_table(head, rows, numeric=range(5, 10))}'
    combined = bfcl_over_runs([(s.manifest, s.accuracy) for s in sections])
    if combined:
        runs = " + ".join(s.name for s in sections if s.manifest.mode == "bfcl" and s.accuracy is not None)
        lines = [_row([escape(label), _num(pct(v))]) for label, v in combined.items()]
        overview += f"<h3>BFCL v4 over {escape(runs)}</h3>{_table(('BFCL v4 score', 'accuracy %'), lines, (1,))}"
    return overview


def _chart(sections: Sequence[RunSection]) -> str:
    scored = [(i, s) for i, s in enumerate(sections) if s.accuracy is not None]
    if not scored:
        return '<h2 id="chart">Accuracy by category</h2><p class="empty">No run has scored rollouts yet.</p>'
    legend = "".join(
        f'<span><span class="swatch" style="background:{PALETTE[j % len(PALETTE)]}"></span>'
        f"{escape(s.name)}</span>"
        for j, (_, s) in enumerate(scored)
    )
    svg = category_chart([(s.name, s.accuracy) for _, s in scored if s.accuracy is not None])
    return (f'<h2 id="chart">Accuracy by category</h2><div class="legend">{legend}</div>'
            f'<div class="chart-wrap">{svg}</div>'
            '<p class="note">Bars: accuracy (mean over tasks of each task\'s pass rate); whiskers: 95% '
            "confidence interval. Hover a bar for its numbers.</p>")


def _run(i: int, s: RunSection) -> str:
    return "\n".join([
        f'<section id="run-{i}"><h2>{escape(s.name)}</h2>',
        _manifest(s),
        f'<h3 id="run-{i}-summary">Accuracy</h3>',
        _accuracy(s),
        f'<h3 id="run-{i}-failures">Failure kinds</h3>',
        _failures(s),
        f'<h3 id="run-{i}-figures">Latency and tokens</h3>',
        _figures(s),
        f'<h3 id="run-{i}-transcripts">Failed transcripts</h3>',
        _transcripts(i, s),
        "</section>",
    ])


def _manifest(s: RunSection) -> str:
    m = s.manifest
    sampling = m.sampling
    fields = [
        ("model", m.model),
        ("suite", f"{m.suite}@{m.suite_version}"),
        ("split", f"{m.split or 'all'}" + (f" ({m.limit} tasks, each category in proportion)" if m.limit else "")),
        ("mode", m.mode),
        ("sampling", f"temperature {sampling.temperature:g}, top_p {sampling.top_p:g}, "
                     f"max_tokens {sampling.max_tokens}, seed {sampling.seed}"),
        ("repeats", str(m.repeats)),
        ("created", s.created_at.strftime("%Y-%m-%d %H:%M UTC")),
        ("status", s.status + (f": {s.cause}" if s.cause else "")),
        ("toolgym", m.toolgym_version or "?"),
    ]
    if m.model_options:
        fields.insert(1, ("model options", json.dumps(m.model_options, sort_keys=True)))
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in fields)
    return f'<dl class="manifest">{items}</dl>'


def _accuracy(s: RunSection) -> str:
    if s.accuracy is None:
        return (f'<p class="empty">No scored rollouts yet ({s.infra_errors} infrastructure errors, '
                f"{s.unscored} unscored).</p>")
    passk = s.pass_hat_k
    head = ("category", "tasks", "samples", "accuracy %", "95% CI", *(f"pass^{p.k} %" for p in passk))

    def row(name: str, e: Estimate, passes: list[Estimate | None], css: str = "") -> str:
        extra = [_num(pct(p.value) if p else "–") for p in passes]
        return _row([escape(name), _num(e.n_tasks), _num(e.n), *_estimate_cells(e), *extra], css)

    by_category = s.accuracy.by_category.items()
    rows = [row(name, e, [p.by_category.get(name) for p in passk]) for name, e in by_category]
    rows.append(row("overall", s.accuracy.overall, [p.overall for p in passk], "total"))
    blanks = [""] * (1 + len(passk))  # the CI and pass^k columns
    rows += [_row([escape(label), "", "", _num(pct(v)), *blanks], "extra") for label, v in s.bfcl.items()]
    notes = []
    if s.accuracy.empty_categories:
        notes.append(f"No scored samples in: {escape(', '.join(s.accuracy.empty_categories))}.")
    for p in passk:
        if p.excluded_tasks:
            notes.append(f"pass^{p.k} leaves out {len(p.excluded_tasks)} tasks with fewer than {p.k} "
                         "scored samples.")
    if s.infra_errors or s.unscored:
        notes.append(f'<span class="warn">{s.infra_errors} rollouts ended on infrastructure errors and '
                     f"{s.unscored} could not be scored; they are kept out of accuracy.</span>")
    note = "".join(f'<p class="note">{n}</p>' for n in notes)
    return _table(head, rows, numeric=range(1, len(head))) + note


def _failures(s: RunSection) -> str:
    if not s.failures:
        return '<p class="empty">No failures among the scored rollouts.</p>'
    top = max(s.failures.values())
    rows = [
        _row([escape(kind), _num(count), _num(pct(count / s.counted)),
              f'<span class="bar" style="width:{120 * count / top:.0f}px"></span>'])
        for kind, count in s.failures.items()
    ]
    rows.append(_row(["infrastructure errors (not scored)", _num(s.infra_errors), _num("–"), ""], "extra"))
    return _table(("failure", "count", "% of scored", ""), rows, numeric=(1, 2))


def _figures(s: RunSection) -> str:
    f = s.figures
    if f is None:
        return '<p class="empty">No scored rollouts.</p>'
    rows = [
        _row(["latency per rollout (s)", _num(f"{f.latency_median_s:.2f}"), _num(f"{f.latency_p90_s:.2f}"),
              _num(f"{f.latency_mean_s:.2f}"), _num("–")]),
        *([_row(["model time per rollout, without queueing (s)", _num(f"{f.model_median_s:.2f}"),
                 _num(f"{f.model_p90_s:.2f}"), _num(f"{f.model_mean_s:.2f}"), _num("–")])]
          if f.model_median_s is not None and f.model_p90_s is not None and f.model_mean_s is not None else []),
        _row(["prompt tokens per rollout", "", "", _num(f"{f.prompt_tokens_mean:.1f}"),
              _num(f"{f.prompt_tokens_total:,}")]),
        _row(["completion tokens per rollout", "", "", _num(f"{f.completion_tokens_mean:.1f}"),
              _num(f"{f.completion_tokens_total:,}")]),
    ]
    table = _table(("", "median", "p90", "mean", "total"), rows, numeric=(1, 2, 3, 4))
    return table + f'<p class="note">Over the {f.rollouts} scored rollouts.</p>'


def _transcripts(i: int, s: RunSection) -> str:
    if not s.transcripts:
        return '<p class="empty">Every rollout passed.</p>'
    shown = len(s.transcripts)
    cap = (f'<p class="note warn">Showing the first {shown} of {s.not_passed} rollouts that did not pass, '
           "to keep this file small.</p>" if shown < s.not_passed else "")
    groups: defaultdict[str, defaultdict[str, list[Transcript]]] = defaultdict(lambda: defaultdict(list))
    for t in s.transcripts:
        groups[t.category][t.outcome].append(t)
    out = [cap, f'<div id="run-{i}-details"><p><button type="button" data-toggle="run-{i}-details" '
                f'data-open="1">expand all</button><button type="button" data-toggle="run-{i}-details" '
                'data-open="0">collapse all</button></p>']
    for category in sorted(groups):
        kinds = groups[category]
        total = sum(map(len, kinds.values()))
        out.append(f'<h4>{escape(category)} <span class="note">· {total}</span></h4>')
        for kind, items in Counter({k: len(v) for k, v in kinds.items()}).most_common():
            inner = "".join(_rollout(t) for t in kinds[kind])
            out.append(f'<details class="group"><summary><span class="kind">{escape(kind)}</span> · {items}'
                       f'</summary><div class="body">{inner}</div></details>')
    out.append("</div>")
    return "\n".join(out)


def _rollout(t: Transcript) -> str:
    facts = [f"<strong>{escape(t.outcome)}</strong>: {escape(t.explanation) or '(no explanation)'}"]
    if t.error:
        facts.append(f'<span class="err">error: {escape(t.error)}</span>')
    facts.append(f"ended: {escape(t.end_reason)} · {t.latency_s:.2f} s · {len(t.messages)} messages")
    head = "".join(f'<p class="note">{f}</p>' for f in facts)
    body = "".join(_message(m) for m in t.messages) or '<p class="empty">(empty transcript)</p>'
    gist = t.explanation or t.error or t.outcome
    summary = f'<span class="mono">{escape(t.task_id)}</span> #{t.sample} — {escape(_clip(gist, 140))}'
    return f'<details><summary>{summary}</summary><div class="body">{head}{body}</div></details>'


def _message(m: Message) -> str:
    who = [m.role] + ([m.name] if m.name else []) + ([f"answers {m.tool_call_id}"] if m.tool_call_id else [])
    parts = [f'<div class="msg {escape(m.role)}"><div class="role">{escape(" · ".join(who))}</div>']
    if m.text:
        parts.append(f"<pre>{escape(_cut(m.text))}</pre>")
    parts += [_image(p.image_url.url) for p in m.images]
    if not m.content and not m.tool_calls:
        parts.append('<p class="empty">(no text)</p>')
    for call in m.tool_calls:
        parts.append(f'<div class="role">tool call</div><pre>{escape(_cut(_call_json(call)))}</pre>')
    if m.parse_error:
        parts.append(f'<pre class="err">parse error: {escape(_cut(m.parse_error))}</pre>')
    parts.append("</div>")
    return "".join(parts)


def _image(url: str) -> str:
    """An image of a transcript as an inline thumbnail (a data URL: the report references nothing outside)."""
    small = thumbnail(url)
    if small is None:
        return f'<p class="note">[image: {escape(_clip(url, 80))}]</p>'
    return f'<img class="thumb" src="{escape(small)}" alt="image in the transcript">'


def _call_json(call: ToolCall) -> str:
    shown = call.model_dump(mode="json", exclude_defaults=True)
    shown.setdefault("arguments", {})
    return json.dumps(shown, indent=2, ensure_ascii=False, default=str)


def _estimate_cells(e: Estimate | None) -> list[str]:
    if e is None:
        return [_num("–"), _num("–")]
    return [_num(pct(e.value)), _num(f"[{pct(e.low)}, {pct(e.high)}]")]


def _num(value: object) -> str:
    """A right-aligned cell holding `value`, escaped."""
    return f'<td class="num">{escape(str(value))}</td>'


def _row(cells: Sequence[str], css: str = "") -> str:
    """A table row; each cell is either a `_num` cell or HTML (already escaped) put in a plain cell."""
    tds = "".join(c if c.startswith('<td class="num">') else f"<td>{c}</td>" for c in cells)
    return f'<tr class="{css}">{tds}</tr>' if css else f"<tr>{tds}</tr>"


def _table(head: Sequence[str], rows: Sequence[str], numeric: Sequence[int] | range = ()) -> str:
    ths = "".join(f'<th class="num">{escape(h)}</th>' if j in numeric else f"<th>{escape(h)}</th>"
                  for j, h in enumerate(head))
    return f"<table><thead><tr>{ths}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cut(text: str) -> str:
    if len(text) <= MAX_MESSAGE_CHARS:
        return text
    return f"{text[:MAX_MESSAGE_CHARS]}\n… ({len(text) - MAX_MESSAGE_CHARS:,} more characters not shown)"


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
