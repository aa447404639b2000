"""bert_forward computes BertModel's last hidden state, from safetensors alone, in fp32 and in int8."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from transformers import BertConfig, BertModel

from codesearch.embed.bert_forward import bert_config, load_bert
from codesearch.embed.embedding import quantize_int8
from codesearch.models.resolve import resolve_model


def _batch(vocab: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Three rows of different lengths, padded: what the embedder's batches look like."""
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1000 if vocab > 2000 else 5, vocab, (3, 21), generator=g)
    mask = torch.ones_like(ids)
    mask[1, 13:] = 0
    mask[2, 4:] = 0
    return ids.masked_fill(mask == 0, 0), mask


def _close(lean: torch.Tensor, ref: torch.Tensor, mask: torch.Tensor, atol: float) -> None:
    keep = mask.bool()
    assert torch.allclose(lean[keep], ref[keep], atol=atol), (lean[keep] - ref[keep]).abs().max()


@pytest.fixture(scope="module")
def minilm() -> Path:
    return resolve_model("minilm").path


def test_the_same_states_as_bertmodel(minilm: Path) -> None:
    config = bert_config(minilm)
    assert config is not None
    lean, ref = load_bert(minilm, config, torch.float32), BertModel.from_pretrained(str(minilm)).eval()
    ids, mask = _batch(config["vocab_size"])
    with torch.no_grad():
        _close(lean(ids, mask), ref(input_ids=ids, attention_mask=mask).last_hidden_state, mask, 2e-5)
        _close(quantize_int8(lean)(ids, mask),
               quantize_int8(ref)(input_ids=ids, attention_mask=mask).last_hidden_state, mask, 2e-4)


def test_other_activations_and_a_task_checkpoint(tmp_path: Path) -> None:
    """gelu_new, and weights saved under `bert.` beside a head (as a task model saves them)."""
    config = BertConfig(vocab_size=120, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=48, hidden_act="gelu_new", max_position_embeddings=64)
    torch.manual_seed(0)
    ref = BertModel(config).eval()
    ref.save_pretrained(str(tmp_path))
    from safetensors.torch import load_file, save_file

    weights = {f"bert.{k}": v for k, v in load_file(str(tmp_path / "model.safetensors")).items()}
    save_file({**weights, "cls.predictions.bias": torch.zeros(120)}, str(tmp_path / "model.safetensors"))
    ids, mask = _batch(120)
    lean = load_bert(tmp_path, bert_config(tmp_path), torch.float32)
    with torch.no_grad():
        _close(lean(ids, mask), ref(input_ids=ids, attention_mask=mask).last_hidden_state, mask, 2e-5)


def test_what_it_does_not_compute_is_left_to_transformers(tmp_path: Path, minilm: Path) -> None:
    config = json.loads((minilm / "config.json").read_text())
    for change in ({"model_type": "roberta"}, {"position_embedding_type": "relative_key"}, {"hidden_act": "swish"}):
        (tmp_path / "config.json").write_text(json.dumps({**config, **change}))
        (tmp_path / "model.safetensors").write_bytes(b"")
        assert bert_config(tmp_path) is None, change
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "model.safetensors").unlink()
    assert bert_config(tmp_path) is None  # no safetensors: transformers reads it (weights_only)


def test_minilm_loads_without_importing_transformers_model_code() -> None:
    """The reason bert_forward exists: a MiniLM embedder is plain torch (vectors checked above)."""
    import subprocess
    import sys

    code = ("import sys; from codesearch.embed.embedding import load_embedder; from codesearch.config import Config; "
            "m = load_embedder('minilm', Config(precision='int8')); v = m.embed_documents(['def f(): pass']); "
            "print(type(m.model).__name__, v.shape[1], 'transformers' in sys.modules, 'torch._dynamo' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.split() == ["LeanBert", "384", "False", "False"], out


def test_an_older_checkpoint_loads_as_transformers_loads_it(tmp_path: Path, minilm: Path) -> None:
    """LayerNorm's gamma/beta (older BERT checkpoints, bert-base-uncased among them) are read as weight/bias;
    a checkpoint whose encoder has other weights goes to transformers, not to an error."""
    import shutil

    from safetensors.torch import load_file, save_file

    from codesearch.embed.embedding import _load_encoder
    from codesearch.models.resolve import resolve_model as resolve

    old = tmp_path / "old"
    shutil.copytree(minilm, old)
    weights = load_file(str(minilm / "model.safetensors"))
    renamed = {"bert." + k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta"): v
               for k, v in weights.items()}
    save_file(renamed, str(old / "model.safetensors"))
    ref = BertModel.from_pretrained(str(minilm)).eval()
    ids, mask = _batch(30522)
    lean = _load_encoder(resolve(str(old)), torch.float32)
    assert type(lean).__name__ == "LeanBert"
    with torch.no_grad():
        _close(lean(ids, mask), ref(input_ids=ids, attention_mask=mask).last_hidden_state, mask, 2e-5)
    extra = tmp_path / "extra"
    shutil.copytree(minilm, extra)
    save_file({**weights, "encoder.layer.0.attention.self.distance_embedding.weight": torch.zeros(3, 384)},
              str(extra / "model.safetensors"))
    assert load_bert(extra, bert_config(extra), torch.float32) is None
