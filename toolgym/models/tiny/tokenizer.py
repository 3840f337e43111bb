"""The tiny model's tokenizer: a small byte-level BPE whose number tokens make copying easy.

A small model copies a value from the request into a call with an induction mechanism: it finds where
the token it just wrote stands in the prompt and writes the token that followed it. That works when
tokens are distinctive and fails on runs of look-alike tokens: with one token per digit, "45662"
gives "6" twice and the model loses its place (measured: copying 8 single digits at a varying distance
was still unlearned after 800 steps, while distinctive tokens were copied after ~700). So numbers
are cut into groups of three digits aligned on the right, the way thousands separators cut them:
"1,573.25" and "1573.25" both give `1 573 . 25`, and every group of one to three digits is one token
of the vocabulary (1,110 of them), so no number ever falls apart into single digits.

A value must also get the same tokens in the request and in the call: "in Lisbon" and `"Lisbon"`.
With GPT-2's rule (a word carries its leading space) the two differ (` Lis bon` against `L isbon`),
so every whitespace character and every punctuation mark is a token of its own and BPE merges only
inside runs of letters: sequences get ~20% longer, and copying becomes copying tokens one for one.
Any text at all is encodable through the 256 byte tokens.

The saved tokenizer carries a `response_template` (transformers' declarative parser of an answer
into content and tool calls), so `transformers serve` returns the model's `<tool_call>` blocks as
API tool calls whatever the model type (it otherwise picks one by type, and has none for llama).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

__all__ = ["CONTROL_TOKENS", "RESPONSE_TEMPLATE", "TOOL_TOKENS", "build_tokenizer"]

#: Special tokens: end of text (padding), turn start, turn end (the end-of-generation token).
CONTROL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")
#: Ordinary added tokens: the tool-call markup stays in decoded text so the parser can find it.
TOOL_TOKENS = ("<tool_call>", "</tool_call>")
#: Digits in groups of three counted from the right end of the number.
_DIGIT_GROUPS = Regex(r"\d{1,3}(?=(?:\d{3})*(?!\d))")
#: An answer as the chat template writes it: text, then `<tool_call>{json}</tool_call>` blocks, then `<|im_end|>`.
RESPONSE_TEMPLATE = {
    "defaults": {"role": "assistant"},
    "start_anchor": "<|im_start|>assistant\n",
    "fields": {
        "tool_calls": {
            "open_pattern": r"\s*<tool_call>",
            "close": "</tool_call>",
            "repeats": True,
            "content": "json",
            "transform": {"type": "function", "function": "{content}"},
        },
        "content": {"close_pattern": r"\s*(?:<\|im_end\|>|<\|endoftext\|>)", "content": "text"},
    },
}


def _pre_tokenizer() -> pre_tokenizers.PreTokenizer:
    return pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(r"\s"), behavior="isolated"),
            pre_tokenizers.Split(_DIGIT_GROUPS, behavior="isolated"),
            pre_tokenizers.Punctuation(behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )


def _with_digit_groups(tok: Tokenizer) -> models.BPE:
    """The trained BPE plus every 2- and 3-digit string as a token, reachable by either merge order."""
    model = json.loads(tok.to_str())["model"]
    vocab: dict[str, int] = model["vocab"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]]
    known = set(merges)
    for n in (2, 3):
        for digits in itertools.product("0123456789", repeat=n):
            group = "".join(digits)
            vocab.setdefault(group, len(vocab))
            # BPE may merge either pair of a 3-digit group first, so both paths must end in the group
            for cut in range(1, n):
                pair = (group[:cut], group[cut:])
                if pair not in known and all(p in vocab for p in pair):
                    merges.append(pair)
                    known.add(pair)
    return models.BPE(vocab=vocab, merges=merges)


def build_tokenizer(texts: Iterable[str], vocab_size: int = 1024) -> PreTrainedTokenizerFast:
    """Train the BPE on `texts` and wrap it for transformers.

    Args:
        texts: Training text, e.g. rendered training conversations.
        vocab_size: Size of the trained part of the vocabulary (bytes, merges, control tokens); the
            digit groups and the two tool-call tokens come on top.

    Returns:
        A fast tokenizer with `<|im_end|>` as end of sequence and `<|endoftext|>` as padding (left side).
    """
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = _pre_tokenizer()
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=list(CONTROL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    tok.model = _with_digit_groups(tok)
    tok.add_special_tokens(list(CONTROL_TOKENS))
    tok.add_tokens([AddedToken(t, special=False, normalized=False) for t in TOOL_TOKENS])
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        padding_side="left",
        model_max_length=1024,
        response_template=RESPONSE_TEMPLATE,
    )
