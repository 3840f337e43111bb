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

from .answers import ARENA_MODE, Answer, AnswerConfig, answer, answer_async, read_answers
from .battles import BattleRecord, Outcome
from .environment import ArenaEnvironment
from .judge_prompt import DEFAULT_TEMPLATE, LABELS, Label, load_template, parse_verdict
from .judging import JudgeConfig, JudgeSummary, judge, judge_async
from .leaderboard import Leaderboard, LeaderboardConfig, build_leaderboard
from .prompts import PromptRecord, load_prompts
from .store import BattleStore
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
    "JudgeConfig",
    "JudgeSummary",
    "Label",
    "Leaderboard",
    "LeaderboardConfig",
    "Outcome",
    "PromptRecord",
    "Vote",
    "VoteImport",
    "answer",
    "answer_async",
    "build_leaderboard",
    "import_votes",
    "judge",
    "judge_async",
    "load_prompts",
    "load_template",
    "parse_verdict",
    "read_answers",
    "read_votes",
]
