"""Store fixtures: every store test runs on a real SQLite file and, when available, real PostgreSQL.

PostgreSQL runs when TOOLGYM_TEST_PG_URL is set (`eval "$(.ci/postgres.sh start)"` sets it); each
test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from toolgym.store import Store

PG_ENV = "TOOLGYM_TEST_PG_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'toolgym.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(reason=f"needs a PostgreSQL server: set {PG_ENV} (eval \"$(.ci/postgres.sh start)\")")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as s:
        yield s
