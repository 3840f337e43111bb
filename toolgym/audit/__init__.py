"""Task-health audits and re-grading: broken gold answers, unsolved tasks, probable label errors.

`replay_gold` plays each task's own answer through its verifier; `audit_suite` adds what stored runs
of several models reveal (tasks no model passes, answers most models agree on that the key rejects,
verdicts a new suite version changes); `rescore_run` re-grades a stored run into a new run;
`run_conformance` evaluates one checkpoint under every serving configuration and
`conformance_report` compares them.
"""

from .answers import answer_of
from .conformance import (
    ConfigResult,
    Configuration,
    ConformanceReport,
    chat_template_variables,
    configurations,
    conformance_report,
    run_conformance,
)
from .gold import GoldFailure, gold_transcripts, replay_gold
from .health import AuditReport, LabelSuspect, UnsolvedTask, audit_suite
from .rescore import RescoreSummary, VerdictChange, regrade, rescore_run, verdict_changes
from .user_judge import JUDGE_PROMPT, judge_user_turns

__all__ = [
    "JUDGE_PROMPT",
    "ConfigResult",
    "Configuration",
    "ConformanceReport",
    "AuditReport",
    "GoldFailure",
    "LabelSuspect",
    "RescoreSummary",
    "UnsolvedTask",
    "VerdictChange",
    "answer_of",
    "audit_suite",
    "chat_template_variables",
    "configurations",
    "conformance_report",
    "gold_transcripts",
    "judge_user_turns",
    "regrade",
    "replay_gold",
    "rescore_run",
    "run_conformance",
    "verdict_changes",
]
