"""Blind voting over HTTP: sessions, CSRF, hidden names, rate limit, admin routes, and the leaderboard."""

from __future__ import annotations

import re

import httpx

from toolgym.arena import BattleRecord, BattleStore, LeaderboardConfig, build_leaderboard
from toolgym.view import ViewConfig
from toolgym.view.sessions import Sessions

from .conftest import ARENA_MODELS, Served, serve_in_thread

ADMIN = {"X-Admin-Token": "admin-token-0123456789"}


def ballot(client: httpx.Client) -> tuple[str, str, str]:
    """Open /vote; returns the page, its ballot id and CSRF token."""
    html = client.get("/vote").text
    ballot_id = re.search(r'name="ballot" value="([^"]+)"', html).group(1)
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    return html, ballot_id, csrf


def test_the_vote_page_never_names_the_models(served: Served):
    with served.client() as client:
        for _ in range(10):
            html, _, _ = ballot(client)
            assert not any(model in html for model in ARENA_MODELS)
            assert "A is better" in html and "Both are bad" in html


def test_a_vote_is_stored_then_the_models_are_revealed(served: Served):
    with served.client() as client:
        html, ballot_id, csrf = ballot(client)
        cast = client.post("/vote", data={"ballot": ballot_id, "choice": "a", "csrf": csrf})
        assert cast.status_code == 303
        shown = client.get(cast.headers["location"]).text
        left, right = re.findall(r'<strong class="model">([^<]+)</strong>', shown)
        again = client.post("/vote", data={"ballot": ballot_id, "choice": "b", "csrf": csrf})
        assert again.status_code == 409  # one vote per ballot
    with BattleStore(served.db) as battles:
        [vote] = list(battles.records("votes:web"))
    assert (vote.model_a, vote.model_b, vote.outcome, vote.verdict) == (left, right, "a", "model_a")
    assert vote.prompt_id in html and vote.prompt_set == "arena:prompts.jsonl@p1"
    assert vote.voter and vote.voter not in client.cookies.get("toolgym_voter", "")
    assert vote.style_a is not None and vote.style_b is not None


def test_a_vote_needs_the_session_and_its_csrf_token(served: Served):
    with served.client() as client:
        _, ballot_id, csrf = ballot(client)
        assert client.post("/vote", data={"ballot": ballot_id, "choice": "a", "csrf": "forged"}).status_code == 403
    with served.client() as stranger:  # no session cookie: a cross-site form post
        assert stranger.post("/vote", data={"ballot": ballot_id, "choice": "a", "csrf": csrf}).status_code == 403
    with served.client() as other:  # another session cannot vote on this ballot, nor see who was who
        _, _, other_csrf = ballot(other)
        assert other.post("/vote", data={"ballot": ballot_id, "choice": "a", "csrf": other_csrf}).status_code == 409
        assert other.get(f"/vote/{ballot_id}").status_code == 404
    with BattleStore(served.db) as battles:
        assert list(battles.records("votes:web")) == []


def test_unknown_choices_are_refused(served: Served):
    with served.client() as client:
        _, ballot_id, csrf = ballot(client)
        reply = client.post("/vote", data={"ballot": ballot_id, "choice": "model_a", "csrf": csrf})
        assert reply.status_code == 400 and "a, b, tie or bothbad" in reply.text


def test_votes_are_rate_limited_per_session(served: Served):
    config = ViewConfig(db=served.db, votes_per_minute=3)
    for url in serve_in_thread(config):
        with httpx.Client(base_url=url) as client:
            codes = []
            for _ in range(5):
                _, ballot_id, csrf = ballot(client)
                reply = client.post("/vote", data={"ballot": ballot_id, "choice": "tie", "csrf": csrf})
                codes.append(reply.status_code)
            assert codes == [303, 303, 303, 429, 429]
        with httpx.Client(base_url=url) as fresh:  # another session has its own allowance
            _, ballot_id, csrf = ballot(fresh)
            assert fresh.post("/vote", data={"ballot": ballot_id, "choice": "tie", "csrf": csrf}).status_code == 303


def test_the_rate_limit_window_slides():
    now = [0.0]
    sessions = Sessions(votes_per_minute=2, clock=lambda: now[0])
    s = sessions.create()
    assert [sessions.take_vote_slot(s) for _ in range(3)] == [True, True, False]
    now[0] = 60.0
    assert sessions.take_vote_slot(s)


def test_admin_lists_and_deletes_votes_with_its_token(served: Served):
    with served.client() as client:
        for choice in ("a", "bothbad"):
            _, ballot_id, csrf = ballot(client)
            client.post("/vote", data={"ballot": ballot_id, "choice": choice, "csrf": csrf})
        assert client.get("/admin/votes").status_code == 403
        assert client.get("/admin/votes", headers={"X-Admin-Token": "wrong-token-0123456789"}).status_code == 403
        votes = client.get("/admin/votes", headers=ADMIN).json()
        assert [v["winner"] for v in votes] == ["model_a", "tie (bothbad)"] and votes[0]["voter"] == votes[1]["voter"]
        assert client.delete(f"/admin/votes/{votes[0]['seq']}").status_code == 403
        assert client.delete(f"/admin/votes/{votes[0]['seq']}", headers=ADMIN).json() == {"deleted": 1}
        assert client.delete(f"/admin/votes/{votes[0]['seq']}", headers=ADMIN).status_code == 404
        assert [v["winner"] for v in client.get("/admin/votes", headers=ADMIN).json()] == ["tie (bothbad)"]


def test_admin_routes_are_off_without_an_admin_token(served: Served):
    for url in serve_in_thread(ViewConfig(db=served.db)):
        assert httpx.get(f"{url}/admin/votes", headers=ADMIN).status_code == 404


def test_votes_count_in_the_arena_leaderboard_with_prompt_clusters(served: Served):
    with served.client() as client:
        for _ in range(30):
            html, ballot_id, csrf = ballot(client)
            strong_left = re.search(r'id="answer-a">thorough', html) is not None
            strong_right = re.search(r'id="answer-b">thorough', html) is not None
            choice = "a" if strong_left else "b" if strong_right else "tie"
            assert client.post("/vote", data={"ballot": ballot_id, "choice": choice, "csrf": csrf}).status_code == 303
    board = build_leaderboard(LeaderboardConfig(source="votes:web", db=served.db, n_boot=100, prior=1.0))
    assert board.ratings.models[0].model == "model-strong"
    assert board.games == 30 and board.ratings.n_clusters <= 12  # clustered by prompt, 12 prompts
    page = served.client().get("/arena", params={"source": "votes:web"}).text
    assert "never lost or tied" in page and "prior" in page  # the page says why, and what to do
    page = served.client().get("/arena", params={"source": "votes:web", "prior": "1"}).text
    assert 'data-model="model-strong"><td>1</td>' in page
    styled = served.client().get("/arena", params={"source": "votes:web", "prior": "1", "style": "1"}).text
    assert "Style coefficients" in styled and "<td>tokens</td>" in styled  # web votes carry both answers' style


def test_battles_are_listed_newest_first_in_pages_with_both_answers(served: Served):
    with BattleStore(served.db) as battles:
        battles.write([BattleRecord("judge:j", "arena:prompts.jsonl@p1", f"q{i % 12:02d}", "model-strong",
                                    "model-weak", i, "general", verdict="A>B", outcome="a", judgment=f"judgment {i}")
                       for i in range(30)])
    with served.client() as client:
        first = client.get("/arena/battles", params={"source": "judge:j"}).text
        second = client.get("/arena/battles", params={"source": "judge:j", "page": 2}).text
    assert "games 1–25 of 30" in first and "games 26–30 of 30" in second
    shown = [int(n) for n in re.findall(r"judgment (\d+)</pre>", first + second)]
    assert shown == list(range(29, -1, -1))
    assert "thorough answer" in first and "terse answer" in first  # both answers from the answer runs


def test_one_ballot_posted_at_once_many_times_is_one_vote(served: Served):
    from concurrent.futures import ThreadPoolExecutor

    with served.client() as client:
        _, ballot_id, csrf = ballot(client)
        cookie = client.cookies["toolgym_voter"]

    def post(_: int) -> int:
        with served.client(cookies={"toolgym_voter": cookie}) as same_session:
            return same_session.post("/vote", data={"ballot": ballot_id, "choice": "b", "csrf": csrf}).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = sorted(pool.map(post, range(8)))
    assert codes == [303] + [409] * 7
    with BattleStore(served.db) as battles:
        assert len(list(battles.records("votes:web"))) == 1
