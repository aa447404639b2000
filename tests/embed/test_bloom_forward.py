"""The lean BLOOM forward equals transformers' BloomModel under the udever recipe."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from codesearch.embed.bloom_forward import alibi_slopes, last_token_states
from codesearch.embed.embedding import UdeverEmbedder, token_budget_batches
from codesearch.models.resolve import resolve_model

TEXTS = [
    "x",
    "def load_config(path):\n    return json.load(open(path))",
    "func RetryRequest(c *http.Client) error {\n\tfor i := 0; i < 3; i++ {\n\t\tc.Do(nil)\n\t}\n\treturn nil\n}" * 3,
    "class Cart\n  def total_price\n    @items.map(&:price).sum\n  end\nend",
    "解析配置文件",
    "retry",
]


@pytest.fixture(scope="module")
def embedder(sharp_bloom: Path) -> UdeverEmbedder:
    """Large budget: every text lands in one batch, so the shortest sits behind the most padding."""
    return UdeverEmbedder(resolve_model(str(sharp_bloom)), max_length=128, batch_tokens=8192)


@pytest.fixture(scope="module")
def reference(sharp_bloom: Path):
    """transformers' own BloomModel, untouched (its own GeLU, its own mask and ALiBi)."""
    from transformers import BloomModel

    return BloomModel.from_pretrained(str(sharp_bloom)).eval()


def _reference_vectors(model, ids: list[list[int]]) -> np.ndarray:
    with torch.inference_mode():  # one text at a time: no padding at all
        rows = [model(input_ids=torch.tensor([x])).last_hidden_state[0, -1] for x in ids]
    vecs = torch.stack(rows).numpy()
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


@pytest.mark.parametrize("kind", ["document", "query"])
def test_lean_forward_equals_transformers_per_text(embedder: UdeverEmbedder, reference, kind: str) -> None:
    ids = embedder._tokenize(TEXTS, kind)
    lengths = sorted(len(x) for x in ids)
    assert lengths[0] <= 3 and lengths[-1] >= 60  # mixed lengths ...
    assert len(token_budget_batches([len(x) for x in ids], embedder.batch_tokens)) == 1  # ... in one batch
    assert embedder.lean_forward
    got = embedder.embed_documents(TEXTS) if kind == "document" else embedder.embed_queries(TEXTS)
    cos = (got * _reference_vectors(reference, ids)).sum(1)
    assert cos.min() > 0.99999, cos


def test_lean_forward_equals_left_padded_batch(reference) -> None:
    """Against transformers' batched path too (left padding, attention mask), on raw states."""
    gen = torch.Generator().manual_seed(0)
    ids = [torch.randint(8, reference.config.vocab_size, (n,), generator=gen).tolist() for n in (1, 9, 33, 2, 33)]
    width = max(len(x) for x in ids)
    input_ids = torch.full((len(ids), width), reference.config.pad_token_id or 0)
    mask = torch.zeros_like(input_ids)
    for row, x in enumerate(ids):
        input_ids[row, width - len(x):] = torch.tensor(x)
        mask[row, width - len(x):] = 1
    with torch.inference_mode():
        want = reference(input_ids=input_ids, attention_mask=mask).last_hidden_state[:, -1]
        got = last_token_states(reference, ids)
    assert got.shape == want.shape
    assert torch.nn.functional.cosine_similarity(got, want, dim=1).min() > 0.99999
    assert (got - want).abs().max() < 1e-4


def test_alibi_slopes_match_bloom() -> None:
    from transformers.models.bloom.modeling_bloom import _get_alibi_slopes

    for heads in (4, 12, 16, 32, 112):  # powers of two and not
        assert torch.allclose(alibi_slopes(heads), _get_alibi_slopes(heads, torch.device("cpu")))


def test_lean_forward_runs_the_int8_model(sharp_bloom: Path, embedder: UdeverEmbedder, reference) -> None:
    """Dynamic-int8 Linear modules are called, not read: the lean path works on them too."""
    q8 = UdeverEmbedder(resolve_model(str(sharp_bloom)), max_length=128, batch_tokens=8192, quantize="int8")
    assert type(q8.model.h[0].mlp.dense_h_to_4h).__module__.startswith("torch.ao.nn.quantized")
    got = q8.embed_documents(TEXTS)
    cos = (got * _reference_vectors(reference, embedder._tokenize(TEXTS, "document"))).sum(1)
    assert cos.min() > 0.95


def test_lean_forward_runs_in_bfloat16(sharp_bloom: Path, embedder: UdeverEmbedder, reference) -> None:
    """The GPU path's dtype (bias and mask in the model's dtype), checked on the CPU."""
    from transformers import BloomModel

    model = BloomModel.from_pretrained(str(sharp_bloom), dtype=torch.bfloat16).eval()
    ids = embedder._tokenize(TEXTS, "document")
    with torch.inference_mode():
        got = last_token_states(model, ids).float().numpy()
    assert got.dtype == np.float32 and np.isfinite(got).all()
    got /= np.linalg.norm(got, axis=1, keepdims=True)
    assert (got * _reference_vectors(reference, ids)).sum(1).min() > 0.98


def test_a_udever_model_loads_without_transformers(tiny_bloom: Path) -> None:
    """The lean forward's modules come from embed.bloom_forward.LeanBloom: a cold process imports no
    transformers (~2.5 s on two cores) and no torch._dynamo (~1 s), in fp32 and in int8; the vectors are checked
    above."""
    import subprocess
    import sys

    code = ("import sys; from codesearch.embed.embedding import load_embedder; from codesearch.config import Config; "
            f"ms = [load_embedder({str(tiny_bloom)!r}, Config(precision=p)) for p in ('fp32', 'int8')]; "
            "vs = [m.embed_documents(['def f(): pass']) for m in ms]; "
            "print(*[type(m.model).__name__ for m in ms], vs[0].shape[1], 'transformers' in sys.modules, "
            "'torch._dynamo' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["LeanBloom", "LeanBloom", "64", "False", "False"], out.stderr[-2000:]
