"""From stored records to the report's numbers: what counts, what is shown."""

from __future__ import annotations

from toolgym.report import run_section, transcripts_to_show
from toolgym.store import Store


def test_only_counted_rollouts_enter_accuracy_and_figures(report_db: str) -> None:
    with Store(report_db) as store:
        run = store.get_run("alpha")
        results = list(store.results(run.id))
        section = run_section(run, results, [])
    assert section.accuracy is not None
    assert section.accuracy.overall.value == 0.5 and section.accuracy.overall.n == 6
    assert (section.counted, section.infra_errors, section.unscored, section.not_passed) == (6, 1, 1, 5)
    assert section.failures == {"should_call": 1, "wrong_value": 1, "should_abstain": 1}
    assert section.figures is not None and section.figures.rollouts == 6
    assert section.pass_hat_k == [] and section.bfcl == {}


def test_failures_come_before_uncounted_rollouts_and_the_cap_holds(report_db: str) -> None:
    with Store(report_db) as store:
        results = list(store.results(store.get_run("alpha").id))
    picked = transcripts_to_show(results, 500)
    assert [r.task_id for r in picked] == [
        "irrelevance-bad-1", "parallel-bad-2", "simple-bad-3", "parallel-unscored-3", "simple-infra-4",
    ]
    assert [r.task_id for r in transcripts_to_show(results, 2)] == ["irrelevance-bad-1", "parallel-bad-2"]
    assert transcripts_to_show(results, 0) == []


def test_repeats_give_pass_hat_k(report_db: str) -> None:
    with Store(report_db) as store:
        run = store.get_run("beta")
        section = run_section(run, list(store.results(run.id)), [])
    assert [p.k for p in section.pass_hat_k] == [2]
    assert round(section.pass_hat_k[0].overall.value, 4) == round(2 / 3, 4)
    assert any(label.startswith("BFCL v4 overall (") for label in section.bfcl)
