"""The tiny model's training recipe: its rows, its copying warm-up and one whole (very short) retrain."""

from __future__ import annotations

import json
import random

import pytest

pytest.importorskip("trl", reason="needs TRL to train: pip install 'toolgym[train]'")

from transformers import Qwen2Config, Qwen2ForCausalLM  # noqa: E402

from toolgym.models.hf_tokenizer import load_tokenizer  # noqa: E402
from toolgym.models.tiny import TINY_MODEL_DIR  # noqa: E402
from toolgym.suites.fc_core import build_fc_core  # noqa: E402
from toolgym.train.tiny.circuit import install_copy_circuit, slow_pairs  # noqa: E402
from toolgym.train.tiny.data import (  # noqa: E402
    REFUSAL,
    _strings,
    echo_conversation,
    echo_pieces,
    letter_pieces,
    target_calls,
    task_conversation,
    with_new_names,
)
from toolgym.train.tiny.recipe import Stage, TinyConfig, _encode, _rows, _trainer, train  # noqa: E402
from toolgym.train.tiny.trainer import AnswerWeights  # noqa: E402
from toolgym.train.tiny.warmup import _Rows, copy_accuracies, copy_warmup  # noqa: E402


@pytest.fixture(scope="module")
def tasks():
    return build_fc_core(seed=0, n_train=200, n_test=0).split("train")


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer(TINY_MODEL_DIR)


def test_rows_end_in_the_calls_the_verifier_accepts_or_a_refusal(tasks):
    from toolgym.check import check_calls

    for task in tasks:
        row = task_conversation(task)
        answer = row["messages"][-1]
        assert answer["role"] == "assistant"
        if task.expected.calls:
            calls = target_calls(task)
            verdict = check_calls(calls, task.expected.calls, task.tools, task.category, mode="toolgym")
            assert verdict.passed, (task.id, verdict)
            written = [c["function"]["arguments"] for c in answer["tool_calls"]]  # dicts, as the template reads them
            assert written == [c.arguments for c in calls]
        else:
            assert answer["content"] == REFUSAL and "tool_calls" not in answer
        assert json.loads(row["tools"]) == [t.to_openai() for t in task.tools]


@pytest.mark.parametrize("from_vocabulary", [False, True], ids=["syllables", "vocabulary-pieces"])
def test_renamed_values_change_in_the_request_and_in_the_call_alike(tasks, tokenizer, from_vocabulary):
    rng = random.Random(0)
    pieces = letter_pieces(tokenizer) if from_vocabulary else None
    assert pieces is None or (len(pieces) > 200 and all(p.isalpha() and p.islower() for p in pieces))
    renamed = [(t, r) for t in tasks if t.expected.calls and (r := with_new_names(t, rng, pieces))]
    assert len(renamed) > len(tasks) // 4
    changed = 0
    for task, (new_task, calls) in renamed:
        text = new_task.messages[-1].content
        old = {s for c in target_calls(task) for s in _strings(c.arguments)}
        new = {s for c in calls for s in _strings(c.arguments)}
        changed += new != old  # letters change; a value of digits only stays as it is
        for value in new - old:  # every invented value stands in the request, word for word
            assert value in text, (task.id, value, text)
    assert changed > 0.9 * len(renamed)


def test_echo_rows_repeat_the_request_from_printable_vocabulary_pieces(tokenizer):
    pieces = echo_pieces(tokenizer)
    assert len(pieces) > 500
    assert not any(t in p for p in pieces for t in ("<|im_start|>", "<|im_end|>", "<|endoftext|>", "<tool_call>"))
    rng = random.Random(0)
    for _ in range(50):
        row = echo_conversation(pieces, rng)
        user, assistant = row["messages"]
        assert user["role"] == "user" and assistant["role"] == "assistant"
        assert assistant["content"] == user["content"] and user["content"].strip() == user["content"] != ""


def test_warmup_rows_score_only_the_repeated_string(tokenizer):
    rows = _Rows(tokenizer, seed=0)
    x, y, mask = rows.batch(8)
    for ids, labels, m in zip(x.tolist(), y.tolist(), mask.tolist(), strict=True):
        n = sum(m)
        scored = [t for t in labels if t != -100]
        repeated = scored[: -len(rows.end)]
        assert scored[-len(rows.end):] == rows.end
        prompt = ids[len(rows.prefix) : len(rows.prefix) + len(repeated)]
        assert prompt == repeated  # the answer is the string the user wrote
        assert ids[:n][-len(scored):] == scored and all(t == rows.pad for t in ids[n:])


def test_copy_warmup_trains_in_place_and_reports_copy_accuracy(tokenizer):
    config = Qwen2Config(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=2, tie_word_embeddings=True)
    model = Qwen2ForCausalLM(config)
    before = [p.detach().clone() for p in model.parameters()]
    record = copy_warmup(model, tokenizer, steps=3, learning_rate=1e-3, batch_size=4)
    assert record["stage"] == "copy_warmup" and record["steps"] == 3
    assert 0.0 <= record["copy_accuracy_before"] <= 1.0 and 0.0 <= record["copy_accuracy"] <= 1.0
    assert any(not (a == b).all() for a, b in zip(before, model.parameters(), strict=True))


def _fresh(tokenizer, hidden=128, heads=2, layers=2, rope_theta=1e8):
    config = Qwen2Config(vocab_size=len(tokenizer), hidden_size=hidden, intermediate_size=2 * hidden,
                         num_hidden_layers=layers, num_attention_heads=heads, num_key_value_heads=heads,
                         max_position_embeddings=1024, tie_word_embeddings=True,
                         rope_parameters={"rope_type": "default", "rope_theta": rope_theta})
    return Qwen2ForCausalLM(config)


def test_span_rows_score_only_what_follows_the_first_token_of_a_span_of_the_request(tokenizer):
    rows = _Rows(tokenizer, seed=0)
    x, y, mask = rows.span_batch(8)
    for ids, labels in zip(x.tolist(), y.tolist(), strict=True):
        scored = [(i, t) for i, t in enumerate(labels) if t != -100]
        first = scored[0][0] - 1  # the span's first token is written, not scored
        span = [ids[first]] + [t for _, t in scored]
        request = ids[len(rows.prefix) : first - len(rows.middle)]
        assert 3 <= len(span) <= 8
        assert any(request[i : i + len(span)] == span for i in range(len(request)))


def test_the_hand_set_circuit_copies_spans_before_any_training(tokenizer):
    """Echo rows can be copied by position; spans that start anywhere need the induction head."""
    model = _fresh(tokenizer)
    untrained = copy_accuracies(model, tokenizer)
    record = install_copy_circuit(model)
    assert record["token_dims"] == 2 * len(slow_pairs(64, 1e8, 1024)) > 16
    installed = copy_accuracies(model, tokenizer)
    assert untrained["span_copy_accuracy"] < 0.05
    assert installed["span_copy_accuracy"] > 0.9 and installed["copy_accuracy"] > 0.9


def test_the_skip_pair_copies_words_that_follow_a_repeated_space(tokenizer):
    """After a space the induction head alone cannot tell which word comes next; the skip pair can."""
    plain, with_skip = _fresh(tokenizer), _fresh(tokenizer)
    assert install_copy_circuit(plain, skip=False)["skip_dims"] == 0
    assert install_copy_circuit(with_skip)["skip_dims"] > 16
    alone, paired = copy_accuracies(plain, tokenizer), copy_accuracies(with_skip, tokenizer)
    assert paired["spaced_copy_accuracy"] > 0.8
    assert paired["spaced_copy_accuracy"] > alone["spaced_copy_accuracy"] + 0.15
    assert paired["span_copy_accuracy"] > 0.9  # spans without repeats still copy


def test_spaced_rows_repeat_words_separated_by_the_space_token(tokenizer):
    rows = _Rows(tokenizer, seed=0)
    x, y, _ = rows.spaced_batch(8)
    for ids, labels in zip(x.tolist(), y.tolist(), strict=True):
        request = ids[len(rows.prefix) : ids.index(rows.middle[0], len(rows.prefix))]
        assert request.count(rows.space[0]) >= 8
        assert sum(t != -100 for t in labels) >= 3


def test_refusal_rows_are_repeated_and_call_rows_are_not(tasks):
    refusals = sum(not t.expected.calls for t in tasks)
    assert refusals > 0
    once = _rows(tasks, Stage("tools", 1, 1e-3), random.Random(0), [])
    thrice = _rows(tasks, Stage("tools", 1, 1e-3, refusal_repeats=3), random.Random(0), [])
    assert len(thrice) - len(once) == 2 * refusals
    assert sum(r["messages"][-1]["content"] == REFUSAL for r in thrice) == 3 * refusals


def test_the_circuit_refuses_a_rope_that_leaves_no_slow_dims(tokenizer):
    with pytest.raises(ValueError, match="rope_theta"):
        install_copy_circuit(_fresh(tokenizer, rope_theta=10.0))


def test_sft_rows_are_tokenized_once_and_score_the_answer_only(tasks, tokenizer, tmp_path):
    rows = [task_conversation(t) for t in tasks[:12]]
    encoded = _encode(tokenizer, rows, max_length=768)
    assert len(encoded) == 12
    assert len(_encode(tokenizer, rows, max_length=40)) == 0  # too long: dropped, never cut
    config = Qwen2Config(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=2, tie_word_embeddings=True)
    trainer = _trainer(Qwen2ForCausalLM(config), tokenizer, Stage("tools", 1, 1e-3), encoded, TinyConfig(), tmp_path)
    for example in trainer.train_dataset:
        scored = [t for t in example["labels"] if t != -100]
        answer = tokenizer.decode(scored)
        assert answer.endswith("<|im_end|>")
        assert answer.startswith("<tool_call>") or answer.startswith(REFUSAL)
        assert len(scored) < len(example["input_ids"]) // 2  # the prompt carries no loss


def test_answer_loss_equals_trls_own_sft_loss(tasks, tokenizer, tmp_path):
    """The fast loss (answer positions only through the LM head) is TRL's loss, to float precision."""
    import torch
    from trl import SFTTrainer

    encoded = _encode(tokenizer, [task_conversation(t) for t in tasks[:6]], max_length=768)
    config = Qwen2Config(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=2, tie_word_embeddings=True)
    model = Qwen2ForCausalLM(config)
    ours = _trainer(model, tokenizer, Stage("tools", 1, 1e-3), encoded, TinyConfig(), tmp_path)
    batch = ours._prepare_inputs(ours.data_collator([ours.train_dataset[i] for i in range(6)]))
    model.train()
    fast = ours.compute_loss(model, dict(batch))
    reference = SFTTrainer.compute_loss(ours, model, dict(batch))
    assert torch.isclose(fast, reference, rtol=1e-5), (fast, reference)
    fast.backward()
    assert model.model.embed_tokens.weight.grad is not None
    assert 0.0 <= ours._metrics["train"]["mean_token_accuracy"][-1] <= 1.0


def test_one_command_retrain_writes_a_loadable_model_and_its_record(tmp_path):
    """The whole recipe at toy size: data, tokenizer, warm-up, SFT, bf16 save, test accuracy."""
    cfg = TinyConfig(n_train=60, n_test=10, vocab_size=400, hidden_size=32, intermediate_size=64, layers=2,
                      heads=2, warmup_steps=2, stages=(Stage("tools", 2, 1e-3, batch_size=4, echo_share=0.1),))
    record = train(cfg, tmp_path / "model")
    assert [s["stage"] for s in record["stages"]] == ["copy_circuit", "copy_warmup", "tools"]
    assert record["test_accuracy"]["all"]["total"] == 10
    assert (tmp_path / "model" / "training.json").exists()
    model = Qwen2ForCausalLM.from_pretrained(tmp_path / "model", local_files_only=True)
    assert str(next(model.parameters()).dtype) == "torch.bfloat16"
    saved = load_tokenizer(tmp_path / "model")
    assert saved.chat_template and saved.eos_token == "<|im_end|>"
    assert record["test_answer_probe"]["decision"]["tokens"] == 10


def test_answer_weights_mark_the_decision_the_tool_name_and_each_value_start(tokenizer):
    import torch

    text = ('<|im_start|>assistant\n<tool_call>\n{"name": "f", "arguments": {"city": "Oslo", "n": 3, '
            '"o": {"k": true}, "l": [1, 2]}}\n</tool_call><|im_end|>')
    ids = torch.tensor([tokenizer.encode(text, add_special_tokens=False)])
    scored = torch.ones(1, ids.shape[1] - 1, dtype=torch.bool)
    scored[0, :2] = False  # "assistant\n" is the prompt
    marks = {t: tokenizer.encode(t, add_special_tokens=False)[0] for t in (":", " ", '"', "{", "[")}
    weights = AnswerWeights(decision=5.0, value_start=3.0)(ids, scored, marks)
    heavy = {tokenizer.decode([int(ids[0, j + 1])]): float(weights[0, j]) for j in range(ids.shape[1] - 1)
             if weights[0, j] not in (0.0, 1.0)}
    assert heavy == {"<tool_call>": 5.0, "f": 3.0, "O": 3.0, "3": 3.0, "tr": 3.0}
    assert torch.equal(AnswerWeights()(ids, scored, marks), scored.float())


def test_weighted_answer_loss_is_the_weighted_mean_of_token_losses(tasks, tokenizer, tmp_path):
    """With weights the loss leans on the weighted tokens; with all weights 1 it is the plain answer loss."""
    import torch

    encoded = _encode(tokenizer, [task_conversation(t) for t in tasks[:4]], max_length=768)
    config = Qwen2Config(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=2, tie_word_embeddings=True)
    model = Qwen2ForCausalLM(config)
    model.train()
    plain = _trainer(model, tokenizer, Stage("tools", 1, 1e-3), encoded, TinyConfig(), tmp_path)
    heavy = _trainer(model, tokenizer, Stage("tools", 1, 1e-3, decision_weight=5.0, value_start_weight=3.0),
                     encoded, TinyConfig(), tmp_path)
    assert plain.answer_weights is None and heavy.answer_weights == AnswerWeights(5.0, 3.0)
    batch = plain._prepare_inputs(plain.data_collator([plain.train_dataset[i] for i in range(4)]))
    with torch.no_grad():
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits[:, :-1]
        labels = batch["labels"][:, 1:]
        scored = labels != -100
        token_loss = torch.nn.functional.cross_entropy(logits[scored].float(), labels[scored], reduction="none")
        w = heavy.answer_weights(batch["input_ids"], scored, heavy._marks)[scored]
        expected = (token_loss * w).sum() / w.sum()
        assert torch.isclose(heavy.compute_loss(model, dict(batch)), expected, rtol=1e-5)
        assert torch.isclose(plain.compute_loss(model, dict(batch)), token_loss.mean(), rtol=1e-5)
