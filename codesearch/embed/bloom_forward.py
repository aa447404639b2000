"""The part of BLOOM an embedding needs: each text's last-token hidden state, and no more.

transformers' BloomModel computes every position of every layer, pads included, through an
unfused attention and a generation-minded mask. The udever recipe only pools the last token, so
this forward runs the loaded model's own modules (fp32, bf16 or dynamic-int8 Linear layers alike,
called, never read) on a packed batch:

- the Linear layers and layer norms see only real tokens ([tokens, hidden], no padding rows);
- attention runs on a left-padded [batch, heads, width, head_dim] layout through
  ``scaled_dot_product_attention``, with ALiBi, causality and padding as one float bias built
  once per batch;
- the last layer computes attention, its output projection and the MLP for the final position
  only (keys and values still come from every token), and only that position goes through
  ``ln_f``.

It is the same function as ``BloomModel(...).last_hidden_state[:, -1]`` under left padding, up to
float rounding (tests hold it to cosine > 0.99999 per text in fp32).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from codesearch.embed import compute
from codesearch.embed.memory import BloomSize


def empty_embedding(rows: int, width: int) -> nn.Embedding:
    """An Embedding whose table is left unset (the weights replace it): nn.Embedding's own random init on the
    meta device imports torch._dynamo, a second of a cold process for nothing."""
    return nn.Embedding(rows, width, _weight=torch.empty(rows, width))


class _Attention(nn.Module):
    def __init__(self, hidden: int, heads: int) -> None:
        super().__init__()
        self.num_heads, self.head_dim = heads, hidden // heads
        self.query_key_value = nn.Linear(hidden, 3 * hidden)  # BLOOM's fused layout: per head q, k, v
        self.dense = nn.Linear(hidden, hidden)


class _Mlp(nn.Module):
    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.dense_h_to_4h = nn.Linear(hidden, 4 * hidden)
        self.dense_4h_to_h = nn.Linear(4 * hidden, hidden)


class _Block(nn.Module):
    def __init__(self, hidden: int, heads: int, eps: float, post_ln: bool) -> None:
        super().__init__()
        self.input_layernorm = nn.LayerNorm(hidden, eps=eps)
        self.self_attention = _Attention(hidden, heads)
        self.post_attention_layernorm = nn.LayerNorm(hidden, eps=eps)
        self.mlp = _Mlp(hidden)
        self.apply_residual_connection_post_layernorm = post_ln


class LeanConfig:
    """What the forward reads of a BLOOM's config.json (transformers' BloomConfig names)."""

    def __init__(self, config: dict) -> None:
        size = BloomSize.from_config(config)
        self.vocab_size, self.hidden_size, self.n_layer, self.n_head = size.vocab, size.hidden, size.layers, size.heads
        self.layer_norm_epsilon = float(config.get("layer_norm_epsilon", 1e-5))
        self.apply_residual_connection_post_layernorm = bool(config.get("apply_residual_connection_post_layernorm"))


class LeanBloom(nn.Module):
    """BloomModel's modules under BloomModel's names, and no forward of its own (the functions below are
    its forward). Why: importing transformers' BLOOM code costs ~2.5 s in every cold process, before any
    weight is read; the weights load into these modules exactly as into BloomModel (embed.weights)."""

    def __init__(self, config: dict) -> None:
        super().__init__()
        self.config = c = LeanConfig(config)
        h, eps = c.hidden_size, c.layer_norm_epsilon
        self.word_embeddings = empty_embedding(c.vocab_size, h)
        self.word_embeddings_layernorm = nn.LayerNorm(h, eps=eps)
        self.h = nn.ModuleList(_Block(h, c.n_head, eps, c.apply_residual_connection_post_layernorm)
                               for _ in range(c.n_layer))
        self.ln_f = nn.LayerNorm(h, eps=eps)

    @property
    def dtype(self) -> torch.dtype:
        """The weights' dtype (as BloomModel.dtype answers)."""
        return self.word_embeddings.weight.dtype


def alibi_slopes(num_heads: int) -> torch.Tensor:
    """ALiBi's per-head slopes, as BLOOM defines them (geometric, with the odd extras interleaved)."""
    closest = 2 ** math.floor(math.log2(num_heads))
    base = 2 ** (-(2 ** -(math.log2(closest) - 3)))
    slopes = [base ** p for p in range(1, closest + 1)]
    if closest != num_heads:
        extra = 2 ** (-(2 ** -(math.log2(2 * closest) - 3)))
        slopes += [extra ** p for p in range(1, 2 * min(closest, num_heads - closest) + 1, 2)]
    return torch.tensor(slopes, dtype=torch.float32)


@dataclass
class PackedBatch:
    """Where a batch's real tokens sit: packed for the Linear layers, left-padded for attention."""

    ids: torch.Tensor  # [tokens] the real token ids, row after row
    scatter: torch.Tensor  # [tokens] each packed token's index in the flat [batch * width] layout
    last: torch.Tensor  # [batch] each row's last token in the packed order
    bias: torch.Tensor  # [batch, heads, width, width] ALiBi + causal + padding, additive
    batch: int
    width: int
    padded: torch.Tensor | None = None  # [batch * width, 3 * hidden] q/k/v, zero at pads; reused by every block


def pack(ids: Sequence[Sequence[int]], num_heads: int, dtype: torch.dtype, device: str | torch.device) -> PackedBatch:
    """Lay out one batch of token id lists (each non-empty) and build its attention bias once."""
    lengths = torch.tensor([len(x) for x in ids])
    if int(lengths.min()) < 1:
        raise ValueError("every text needs at least one token")
    batch, width = len(ids), int(lengths.max())
    cols = torch.arange(width)
    real = cols[None, :] >= (width - lengths)[:, None]  # [batch, width], left padding
    flat = torch.nonzero(real.reshape(-1), as_tuple=True)[0]
    position = (cols[None, :] - (width - lengths)[:, None]).clamp(min=0)  # 0 at each row's first token
    alibi = alibi_slopes(num_heads)[None, :, None, None] * position[:, None, None, :].float()  # by key
    allowed = real[:, None, :] & (cols[None, :, None] >= cols[None, None, :])  # real key, not in the future
    allowed |= ~real[:, :, None]  # rows for pad queries attend anywhere: finite, and never read
    bias = alibi.masked_fill(~allowed[:, None], torch.finfo(dtype).min)
    packed_ids = torch.tensor([t for x in ids for t in x], dtype=torch.long)
    return PackedBatch(ids=packed_ids.to(device), scatter=flat.to(device), last=(lengths.cumsum(0) - 1).to(device),
                       bias=bias.to(device=device, dtype=dtype), batch=batch, width=width)


def last_token_states(model, ids: Sequence[Sequence[int]]) -> torch.Tensor:
    """[batch, hidden] final-layer-norm state of each text's last token: the udever embedding."""
    ref = model.word_embeddings_layernorm.weight
    layout = pack(ids, model.config.n_head, ref.dtype, ref.device)
    x = model.word_embeddings_layernorm(model.word_embeddings(layout.ids))  # [tokens, hidden]
    blocks = list(model.h)
    for block in blocks[:-1]:
        if compute.stopping():  # the process is exiting: leave torch now, not after 24 blocks
            raise compute.Stopped("the process is exiting")
        x = _block(block, x, layout, final=False)
    x = _block(blocks[-1], x, layout, final=True)  # [batch, hidden]: last positions only
    return model.ln_f(x)


def _block(block, x: torch.Tensor, layout: PackedBatch, final: bool) -> torch.Tensor:
    """One BLOOM block on packed tokens; with final, only each row's last position comes out."""
    post_ln = block.apply_residual_connection_post_layernorm
    ln = block.input_layernorm(x)
    residual = ln if post_ln else x
    context = _attention(block.self_attention, ln, layout, final)
    if final:
        residual = residual.index_select(0, layout.last)
    x = block.self_attention.dense(context).add_(residual)
    ln = block.post_attention_layernorm(x)
    residual = ln if post_ln else x
    mlp = block.mlp
    return mlp.dense_4h_to_h(torch.ops.aten.gelu_(mlp.dense_h_to_4h(ln), approximate="tanh")).add_(residual)


def _attention(attn, ln: torch.Tensor, layout: PackedBatch, final: bool) -> torch.Tensor:
    """Self-attention context for packed tokens ([tokens, hidden]; [batch, hidden] with final)."""
    heads, head_dim = attn.num_heads, attn.head_dim
    qkv = attn.query_key_value(ln)  # [tokens, heads * 3 * head_dim], BLOOM's fused layout
    if layout.padded is None:  # pad rows stay zero: every block writes the same real rows
        layout.padded = qkv.new_zeros(layout.batch * layout.width, qkv.shape[-1])
    padded = layout.padded.index_copy_(0, layout.scatter, qkv).view(layout.batch, layout.width, heads, 3, head_dim)
    key = padded[..., 1, :].transpose(1, 2)  # [batch, heads, width, head_dim]
    value = padded[..., 2, :].transpose(1, 2)
    if final:  # left padding: every row's last token is at the last column
        query = padded[:, -1:, :, 0, :].transpose(1, 2)
        bias = layout.bias[:, :, -1:, :]
    else:
        query = padded[..., 0, :].transpose(1, 2)
        bias = layout.bias
    context = F.scaled_dot_product_attention(query, key, value, attn_mask=bias)  # [batch, heads, q, head_dim]
    context = context.transpose(1, 2).reshape(-1, heads * head_dim)
    return context if final else context.index_select(0, layout.scatter)




def framed_token_states(model, prefix: Sequence[int], tokens: Sequence[int], suffix: Sequence[int]) -> torch.Tensor:
    """[len(tokens), hidden] final state of ``prefix + [token] + suffix`` for each token, the prefix computed once.

    The static tier distils every token a repository uses as the one-token document ``[BOD] t [EOD]``;
    under causal attention the prefix's keys and values are the same for every token, so they are
    computed once per batch instead of once per token (a third of udever's distillation work).
    Equal to ``last_token_states(model, [prefix + [t] + suffix ...])`` up to float rounding.
    """
    ref = model.word_embeddings_layernorm.weight
    dtype, device = ref.dtype, ref.device
    heads = model.config.n_head
    width, start = 1 + len(suffix), len(prefix)
    positions = torch.arange(start + width)
    alibi = alibi_slopes(heads)[:, None] * positions[None, :].float()  # [heads, keys], by key as in pack()
    causal = positions[None, :] <= positions[:, None]  # [queries, keys]
    bias = alibi[:, None, :].masked_fill(~causal[None], torch.finfo(dtype).min).to(device=device, dtype=dtype)

    def embed(ids: list[int]) -> torch.Tensor:
        return model.word_embeddings_layernorm(model.word_embeddings(torch.tensor(ids, dtype=torch.long, device=device)))

    head = embed(list(prefix)) if start else None  # [prefix, hidden]
    x = embed([i for t in tokens for i in (t, *suffix)])  # [tokens * width, hidden]
    blocks = list(model.h)
    for n, block in enumerate(blocks):
        if compute.stopping():
            raise compute.Stopped("the process is exiting")
        past = None
        if head is not None:
            head, past = _block_past(block, head, None, bias[:, :start, :start], 1, start, final=False)
        x, _ = _block_past(block, x, past, bias[:, start:, :], len(tokens), width, final=n == len(blocks) - 1)
    return model.ln_f(x)


def _attend_few(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                past: tuple[torch.Tensor, torch.Tensor] | None, bias: torch.Tensor) -> torch.Tensor:
    """[batch, q, heads, head_dim] attention of each row's queries ([batch, q, heads, head_dim]) over the shared
    past's keys and values ([heads, past, head_dim]) then the row's own ([batch, width, heads, head_dim]), with
    bias [heads, q, past + width]: what scaled_dot_product_attention gives on the past expanded and concatenated
    per row. With a handful of keys per row, one product and sum per key beats the fused kernel's per-(row, head)
    loop six times over (it took 17 % of a distillation batch at 560m's shape, the concatenation 4 % more)."""
    # one [heads, head_dim] per past position and one [batch, 1, heads, head_dim] per own: each broadcasts on query
    keys = (list(past[0].unbind(1)) if past is not None else []) + list(key.split(1, dim=1))
    values = (list(past[1].unbind(1)) if past is not None else []) + list(value.split(1, dim=1))
    scores = torch.stack([(query * k).float().sum(-1) for k in keys], -1)
    probs = torch.softmax(scores.mul_(query.shape[-1] ** -0.5).add_(bias.transpose(0, 1).float()), dim=-1)
    context = probs[..., 0, None] * values[0].float()
    for j, v in enumerate(values[1:], start=1):
        context.add_(probs[..., j, None] * v.float())
    return context.to(query.dtype)


def _block_past(block, x: torch.Tensor, past: tuple[torch.Tensor, torch.Tensor] | None, bias: torch.Tensor,
                batch: int, width: int, final: bool) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
    """One BLOOM block on ``batch`` equal-length rows ([batch * width, hidden]) that all continue the same
    past keys and values ([heads, past, head_dim]); returns the rows' output (with final, each row's last
    position only) and the rows' own keys and values (what a later row would take as its past)."""
    post_ln = block.apply_residual_connection_post_layernorm
    ln = block.input_layernorm(x)
    residual = ln if post_ln else x
    attn = block.self_attention
    heads, head_dim = attn.num_heads, attn.head_dim
    qkv = attn.query_key_value(ln).view(batch, width, heads, 3, head_dim)
    query, key, value = qkv.unbind(3)  # [batch, width, heads, head_dim]
    own = (key[0].transpose(0, 1), value[0].transpose(0, 1))  # [heads, width, head_dim]
    if final:
        query, bias = query[:, -1:], bias[:, -1:]
        residual = residual.view(batch, width, -1)[:, -1]
    context = _attend_few(query, key, value, past, bias).reshape(-1, heads * head_dim)
    x = attn.dense(context).add_(residual)
    ln = block.post_attention_layernorm(x)
    residual = ln if post_ln else x
    mlp = block.mlp
    return mlp.dense_4h_to_h(torch.ops.aten.gelu_(mlp.dense_h_to_4h(ln), approximate="tanh")).add_(residual), own


__all__ = ["LeanBloom", "empty_embedding", "alibi_slopes", "pack", "last_token_states", "framed_token_states", "PackedBatch"]
