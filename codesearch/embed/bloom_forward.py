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

from codesearch.embed import compute


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


__all__ = ["alibi_slopes", "pack", "last_token_states", "PackedBatch"]
