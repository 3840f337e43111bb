"""The tiny model's tokenizer: a small byte-level BPE built so that copying a value is copying tokens.

A value the user writes ("Paris", "2024-05-01", "a.b@x.org") must become the same tokens inside the
JSON of a tool call, or a 1M-parameter model has to learn a separate mapping for every word it copies.
So the pre-tokenizer cuts text before BPE sees it: every whitespace character and every punctuation
mark is a token of its own, every digit is a token of its own, and BPE merges only inside runs of
letters. A word then tokenizes the same wherever it stands (after a space, after a quote), and any
text at all is encodable through the 256 byte tokens.
"""

from __future__ import annotations

from collections.abc import Iterable

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

__all__ = ["CONTROL_TOKENS", "TOOL_TOKENS", "build_tokenizer"]

#: Special tokens: end of text (padding), turn start, turn end (the end-of-generation token).
CONTROL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")
#: Ordinary added tokens: the tool-call markup stays in decoded text so the parser can find it.
TOOL_TOKENS = ("<tool_call>", "</tool_call>")


def _pre_tokenizer() -> pre_tokenizers.PreTokenizer:
    return pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(r"\s"), behavior="isolated"),
            pre_tokenizers.Punctuation(behavior="isolated"),
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )


def build_tokenizer(texts: Iterable[str], vocab_size: int = 1024) -> PreTrainedTokenizerFast:
    """Train the BPE on `texts` and wrap it for transformers.

    Args:
        texts: Training text, e.g. rendered training conversations.
        vocab_size: Size of the vocabulary, byte alphabet and added tokens included.

    Returns:
        A fast tokenizer with `<|im_end|>` as end of sequence and `<|endoftext|>` as padding (left side).
    """
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = _pre_tokenizer()
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size - len(TOOL_TOKENS),
        special_tokens=list(CONTROL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    tok.add_tokens([AddedToken(t, special=False, normalized=False) for t in TOOL_TOKENS])
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        padding_side="left",
        model_max_length=1024,
    )
