"""Task-health audits and re-grading: broken gold answers, unsolved tasks, probable label errors.

`replay_gold` plays each task's own answer through its verifier; `audit_runs` looks across stored
runs for tasks no model passes and answers most models agree on that the key rejects; `rescore_run`
re-grades a stored run under the current suite and verifier into a new run.
"""

from .gold import GoldFailure, gold_transcripts, replay_gold

__all__ = ["GoldFailure", "gold_transcripts", "replay_gold"]
