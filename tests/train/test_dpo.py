"""`train_dpo`: real TRL DPO steps on the tiny model from exported pairs."""

from __future__ import annotations

import pytest

from tests.train.crafted import needs_tiny
from toolgym.train import DPORunConfig, build_dpo_data, train_dpo

pytestmark = [needs_tiny, pytest.mark.slow]


def test_exported_pairs_train_unchanged(scored_db, tmp_path):
    data = tmp_path / "pairs"
    build_dpo_data(str(scored_db), ["sampled"], data)
    seen = []
    config = DPORunConfig(model="tiny", data=data, out=tmp_path / "model", max_steps=2, batch_size=2,
                          learning_rate=1e-3, warmup=0, scheduler="constant", logging_steps=1, threads=2)
    result = train_dpo(config, on_log=lambda step, total, metrics: seen.append(metrics))
    assert result.method == "dpo" and result.steps == 2 and result.rows == 10
    assert all("rewards/chosen" in m for m in seen if "loss" in m)
    # the second step sees an updated policy: its chosen and rejected rewards move away from zero
    assert any(m.get("rewards/margins", 0.0) != 0.0 for m in seen)
    assert (tmp_path / "model" / "model.safetensors").is_file()
