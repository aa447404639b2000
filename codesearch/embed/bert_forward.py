"""A BERT encoder (all-MiniLM-L6-v2 and the other BERT-architecture sentence models) in plain torch.

The same function as transformers' BertModel's last hidden state (tests/embed/test_bert_forward.py checks
it against BertModel), built from config.json and model.safetensors alone. Why: importing transformers'
BERT code costs about 2.5 s on two cores before any weight is read, in every cold process (a first
`codesearch index` of a small repository spends a fifth of its time there, a cold `codesearch query` most
of its). Its modules carry BertModel's names, so int8 quantisation (embed.weights.int8_spec) treats both
alike. Anything this module does not cover (another architecture, a relative position scheme, an unknown
activation, a checkpoint without safetensors) is loaded by transformers as before: see `bert_config`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from codesearch.embed.bloom_forward import empty_embedding

ACTIVATIONS = {
    "gelu": lambda x: F.gelu(x),
    "gelu_new": lambda x: F.gelu(x, approximate="tanh"),
    "gelu_pytorch_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "relu": F.relu,
}
ENCODER = ("embeddings.", "encoder.")  # the weights read; the pooler, heads and buffers are not


def bert_config(folder: Path) -> dict | None:
    """folder's config when this module computes its model exactly (else None: transformers loads it)."""
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    plain = (config.get("model_type") == "bert" and (folder / "model.safetensors").is_file()
             and config.get("position_embedding_type", "absolute") == "absolute"
             and config.get("hidden_act", "gelu") in ACTIVATIONS and not config.get("is_decoder")
             and config.get("hidden_size", 0) % max(config.get("num_attention_heads", 1), 1) == 0)
    return config if plain else None


class _Layer(nn.Module):
    """One encoder layer, its parameters named as BertLayer's."""

    def __init__(self, hidden: int, intermediate: int, eps: float) -> None:
        super().__init__()
        self.attention = nn.Module()
        self.attention.self = nn.Module()
        for name in ("query", "key", "value"):
            setattr(self.attention.self, name, nn.Linear(hidden, hidden))
        self.attention.output = nn.Module()
        self.attention.output.dense = nn.Linear(hidden, hidden)
        self.attention.output.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(hidden, intermediate)
        self.output = nn.Module()
        self.output.dense = nn.Linear(intermediate, hidden)
        self.output.LayerNorm = nn.LayerNorm(hidden, eps=eps)


class LeanBert(nn.Module):
    """BertModel's encoder without its pooler: input ids and mask in, last hidden state out."""

    def __init__(self, config: dict) -> None:
        super().__init__()
        hidden, eps = config["hidden_size"], config.get("layer_norm_eps", 1e-12)
        self.heads = config["num_attention_heads"]
        self.act = ACTIVATIONS[config.get("hidden_act", "gelu")]
        self.config = config
        self.embeddings = nn.Module()
        self.embeddings.word_embeddings = empty_embedding(config["vocab_size"], hidden)
        self.embeddings.position_embeddings = empty_embedding(config["max_position_embeddings"], hidden)
        self.embeddings.token_type_embeddings = empty_embedding(max(config.get("type_vocab_size", 2), 1), hidden)
        self.embeddings.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList(_Layer(hidden, config["intermediate_size"], eps)
                                           for _ in range(config["num_hidden_layers"]))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """(batch, length, hidden) states; padded positions attend to nothing padded and are left to the caller."""
        emb = self.embeddings
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = emb.word_embeddings(input_ids) + emb.position_embeddings(positions) + emb.token_type_embeddings.weight[0]
        x = emb.LayerNorm(x)
        keep = attention_mask.bool()[:, None, None, :]  # which keys each query may attend to
        for layer in self.encoder.layer:
            x = self._layer(layer, x, keep)
        return x

    def _layer(self, layer: _Layer, x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        b, n, h = x.shape
        att = layer.attention
        q, k, v = (getattr(att.self, name)(x).view(b, n, self.heads, h // self.heads).transpose(1, 2)
                   for name in ("query", "key", "value"))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, scale=1 / math.sqrt(h // self.heads))
        x = att.output.LayerNorm(att.output.dense(ctx.transpose(1, 2).reshape(b, n, h)) + x)
        return layer.output.LayerNorm(layer.output.dense(self.act(layer.intermediate.dense(x))) + x)


def _renamed(key: str) -> str:
    """A checkpoint key under LeanBert's names: older BERT checkpoints call LayerNorm's weight and bias gamma and
    beta (transformers renames them at load, and so do we)."""
    if ".LayerNorm." in key:
        return key.replace(".LayerNorm.gamma", ".LayerNorm.weight").replace(".LayerNorm.beta", ".LayerNorm.bias")
    return key


def load_bert(folder: Path, config: dict, dtype: torch.dtype) -> LeanBert | None:
    """A LeanBert with folder's weights (safetensors, never a pickle); None when the checkpoint's encoder weights
    are not exactly LeanBert's (another layout: transformers loads it instead)."""
    from safetensors.torch import load_file

    weights = load_file(str(folder / "model.safetensors"))
    if any(k.startswith("bert.") for k in weights):  # saved from a task model: its encoder is under bert.
        weights = {k[len("bert."):]: v for k, v in weights.items() if k.startswith("bert.")}
    weights = {_renamed(k): v.to(dtype) for k, v in weights.items()
               if k.startswith(ENCODER) and k != "embeddings.position_ids"}
    with torch.device("meta"):
        model = LeanBert(config)
    if set(weights) != set(model.state_dict()):
        return None
    model.load_state_dict(weights, strict=True, assign=True)
    return model.eval()


__all__ = ["LeanBert", "bert_config", "load_bert"]
