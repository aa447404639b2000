"""The udever recipe, pinned by an independent reference written from the model card.

The reference embeds one text at a time, straight from the card: `[BOQ]`/`[BOD]` prepended as text
with no space, tokenized with truncation to max_length - 1, the `[EOQ]`/`[EOD]` id appended after
truncation, and `last_hidden_state[:, -1]` of transformers' own BloomModel. The project's batched,
length-sorted, left-padded embedding must agree with it for every text in a batch of very different
lengths, at and past the truncation limit. The model has larger random weights than usual
(init_range 0.5), so every token the recipe gets wrong moves the last hidden state.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from codesearch.embed.embedding import load_embedder

from codesearch.config import Config
from codesearch.models.random_models import build_random_udever

MAX_LENGTH = 24


@pytest.fixture(scope="module")
def sensitive_bloom(tmp_path_factory) -> Path:
    from conftest import _words

    corpus = [p.read_text() for p in sorted(Path(__file__).parents[2].glob("codesearch/**/*.py"))] + _words()
    return build_random_udever(tmp_path_factory.mktemp("recipe") / "bloom", "tiny", corpus, init_range=0.5, seed=3)


def model_card_reference(folder: Path, texts: list[str], is_query: bool, max_length: int) -> np.ndarray:
    """The udever model card's encode(), one text at a time (so no padding at all)."""
    from transformers import AutoTokenizer, BloomModel

    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    model = BloomModel.from_pretrained(str(folder)).eval()
    bos = "[BOQ]" if is_query else "[BOD]"
    eos_id = tokenizer.convert_tokens_to_ids("[EOQ]" if is_query else "[EOD]")
    out = []
    for text in texts:
        encoding = tokenizer(bos + text, truncation=True, max_length=max_length - 1)
        ids = list(encoding["input_ids"]) + [eos_id]
        with torch.inference_mode():
            hidden = model(input_ids=torch.tensor([ids])).last_hidden_state
        vec = hidden[0, -1].numpy()
        out.append(vec / np.linalg.norm(vec))
    return np.stack(out)


def _texts(folder: Path) -> list[str]:
    """Very different lengths: one token, short, medium, exactly at the limit, and far past it."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(folder))

    def tokens(text: str) -> int:
        return len(tokenizer("[BOD]" + text)["input_ids"])

    candidates = ("return value " * n + tail for n in range(1, 60) for tail in ("", "x", " x", " x y", "."))
    at_limit = next(t for t in candidates if tokens(t) == MAX_LENGTH - 1)
    return ["x", "def add(a, b):\n    return a + b", "parse the configuration file and retry failed http calls",
            at_limit, at_limit + " one more", "def long():\n" + "    total = total + value\n" * 40,
            "send an email " * 30]


@pytest.mark.parametrize("kind", ["query", "document"])
def test_batched_embedding_equals_the_model_card(sensitive_bloom: Path, kind: str) -> None:
    texts = _texts(sensitive_bloom)
    embedder = load_embedder(str(sensitive_bloom), Config(max_length=MAX_LENGTH, batch_tokens=4 * MAX_LENGTH, precision="fp32"))
    got = embedder.embed_queries(texts) if kind == "query" else embedder.embed_documents(texts)
    want = model_card_reference(sensitive_bloom, texts, kind == "query", MAX_LENGTH)
    cosines = (got * want).sum(1)
    assert cosines.min() > 0.9999, dict(zip(texts, cosines.round(5)))


def test_the_reference_tells_queries_from_documents(sensitive_bloom: Path) -> None:
    """The model is sensitive enough for the comparison above to mean something."""
    texts = _texts(sensitive_bloom)
    q = model_card_reference(sensitive_bloom, texts, True, MAX_LENGTH)
    d = model_card_reference(sensitive_bloom, texts, False, MAX_LENGTH)
    assert (q * d).sum(1).max() < 0.999
