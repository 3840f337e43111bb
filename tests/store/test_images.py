"""Images in the store: kept once each under their digest, transcripts point at them, read back equal."""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing

from PIL import Image

from tests.store.test_store import PASS, manifest
from toolgym.images import data_url
from toolgym.store import Store
from toolgym.store.schema import SCHEMA_VERSION
from toolgym.types import ImagePart, Message, Rollout, TextPart


def png(color: tuple[int, int, int], size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def image_rollout(task_id: str, image: bytes, sample: int = 0) -> Rollout:
    url = data_url(image, "image/png")
    return Rollout(task_id=task_id, sample=sample, messages=[
        Message(role="user", content=[TextPart(text="What does the receipt total?"), ImagePart.of(url)]),
        Message(role="assistant", content="Let me zoom in."),
        Message(role="tool", content=[ImagePart.of(url), TextPart(text="zoomed 2x")], tool_call_id="c1", name="zoom"),
        Message(role="assistant", content="The total is 41.30."),
    ])


def test_an_image_rollout_reads_back_equal(store: Store) -> None:
    run = store.open_run("r", manifest())
    written = image_rollout("receipt-1", png((200, 10, 10)))
    store.write(run.id, [(written, "receipt", PASS)])
    assert store.rollout(run.id, "receipt-1") == written
    assert [r for _, r, _ in store.rollouts(run.id)] == [written]


def test_each_image_is_stored_once_and_transcripts_hold_references(tmp_path) -> None:
    path = tmp_path / "s.db"
    red, blue = png((200, 10, 10)), png((10, 10, 200), (300, 200))
    with Store(str(path)) as store:
        run = store.open_run("r", manifest())
        store.write(run.id, [(image_rollout(f"t{i}", red, s), "c", PASS) for i in range(20) for s in range(3)])
        store.write(run.id, [(image_rollout("t-blue", blue), "c", PASS)])
        store.write(run.id, [(image_rollout("t0", red), "c", PASS)])  # a rewrite adds nothing
    with closing(sqlite3.connect(path)) as conn:
        stored = conn.execute("SELECT length(data) FROM images ORDER BY length(data)").fetchall()
        transcripts = [m for (m,) in conn.execute("SELECT messages FROM transcripts")]
    assert sorted(stored) == sorted([(len(red),), (len(blue),)])
    assert all("base64" not in m and "toolgym-image:sha256:" in m for m in transcripts)
    assert max(len(m) for m in transcripts) < 1000  # references, not bytes


def test_a_schema_5_database_gains_the_images_table_and_keeps_its_runs(tmp_path) -> None:
    path = tmp_path / "old.db"
    with Store(str(path)) as store:
        run = store.open_run("old-run", manifest())
        store.write(run.id, [(Rollout(task_id="t", messages=[Message(role="user", content="hi")]), "c", PASS)])
    with closing(sqlite3.connect(path)) as conn:  # what toolgym wrote before images were stored
        conn.execute("DROP TABLE images")
        conn.execute("UPDATE toolgym_meta SET value = '5' WHERE key = 'schema_version'")
        conn.commit()
    with Store(str(path)) as store:
        run = store.get_run("old-run")
        assert store.rollout(run.id, "t").messages == [Message(role="user", content="hi")]
        store.write(run.id, [(image_rollout("new", png((0, 200, 0))), "c", PASS)])
        assert store.rollout(run.id, "new").messages[0].images
    with closing(sqlite3.connect(path)) as conn:
        version = conn.execute("SELECT value FROM toolgym_meta WHERE key = 'schema_version'").fetchone()[0]
        count = conn.execute("SELECT count(*) FROM images").fetchone()[0]
    assert int(version) == SCHEMA_VERSION >= 6 and count == 1


def test_a_transcript_pointing_at_a_missing_image_names_the_rollout(tmp_path) -> None:
    import pytest

    from toolgym.errors import UserError

    path = tmp_path / "s.db"
    with Store(str(path)) as store:
        run = store.open_run("r", manifest())
        store.write(run.id, [(image_rollout("t1", png((1, 2, 3))), "c", PASS)])
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DELETE FROM images")
        conn.commit()
    with Store(str(path)) as store, pytest.raises(UserError, match="task 't1' sample 0.*does not hold"):
        store.rollout(run.id, "t1")
