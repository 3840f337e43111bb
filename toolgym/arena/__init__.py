"""The arena: models answer open prompts, a judge (or people) compare answers pairwise, ratings follow.

* `answer_async` / `answer`: each model answers a prompt set; answers are a resumable run (mode `arena`).
* `judge_async` / `judge`: a judge model compares answers, two games per pair with the positions
  swapped; `parse_verdict` reads `[[A>>B]]` ... `[[B>>A]]` (the last label wins, none is never guessed).
* `import_votes`: human votes from JSON Lines.
* `build_leaderboard`: Bradley–Terry (or online Elo) ratings with prompt-clustered intervals, style
  control, win rates against a baseline, separability and agreement with a reference ranking.

Battles live in the `arena_battles` table of the same database as the runs (`BattleStore`).
Importing this package registers the `arena` environment kind.
"""

from .answers import ARENA_MODE, Answer, AnswerConfig, answer, answer_async, answer_runs, answer_text, read_answers
from .battles import BattleRecord, GameKey, Outcome
from .environment import ArenaEnvironment
from .judge_prompt import DEFAULT_TEMPLATE, LABELS, Label, label_outcome, load_template, parse_verdict, render_prompt
from .judging import JudgeConfig, JudgeSummary, judge, judge_async, judge_source, select_models
from .leaderboard import Leaderboard, LeaderboardConfig, battles_from_records, build_leaderboard, pick_source
from .pairing import Pairing, games, pairs_for_prompt
from .prompts import PromptRecord, load_prompts, prompt_set_name, question_text
from .reference import read_reference
from .store import BattleStore, SourceInfo
from .votes import WINNERS, Vote, VoteImport, import_votes, read_votes

__all__ = [
    "ARENA_MODE",
    "DEFAULT_TEMPLATE",
    "LABELS",
    "WINNERS",
    "Answer",
    "AnswerConfig",
    "ArenaEnvironment",
    "BattleRecord",
    "BattleStore",
    "GameKey",
    "JudgeConfig",
    "JudgeSummary",
    "Label",
    "Leaderboard",
    "LeaderboardConfig",
    "Outcome",
    "Pairing",
    "PromptRecord",
    "SourceInfo",
    "Vote",
    "VoteImport",
    "answer",
    "answer_async",
    "answer_runs",
    "answer_text",
    "battles_from_records",
    "build_leaderboard",
    "games",
    "import_votes",
    "judge",
    "judge_async",
    "judge_source",
    "label_outcome",
    "load_prompts",
    "load_template",
    "pairs_for_prompt",
    "parse_verdict",
    "pick_source",
    "prompt_set_name",
    "question_text",
    "read_answers",
    "read_reference",
    "read_votes",
    "render_prompt",
    "select_models",
]
