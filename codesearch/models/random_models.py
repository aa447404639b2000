"""Random-weight udever-shaped models in a folder: the real code path with no hub access.

Tests use a tiny one; speed benchmarks use the real BLOOM-560m shape, since throughput does not
depend on weight values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

SPECIAL_TOKENS = ["<unk>", "<pad>", "<s>", "</s>", "[BOQ]", "[EOQ]", "[BOD]", "[EOD]"]
BLOOM_SHAPES = {
    "tiny": dict(hidden_size=64, n_layer=2, n_head=4),
    "560m": dict(hidden_size=1024, n_layer=24, n_head=16),
    "1b1": dict(hidden_size=1536, n_layer=24, n_head=16),
    "3b": dict(hidden_size=2560, n_layer=30, n_head=32),
    "7b1": dict(hidden_size=4096, n_layer=30, n_head=32),
}
WEIGHT_FORMATS = ("safetensors", "bin", "sharded-safetensors", "sharded-bin")
BLOOM_VOCAB = 250880


def train_tokenizer(corpus: Iterable[str], vocab_size: int):
    """A byte-level BPE tokenizer with udever's four markers and a pad token."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(corpus, trainer=trainer)
    return tok


def build_random_udever(folder: Path, shape: str = "tiny", corpus: Iterable[str] | None = None,
                        tokenizer_vocab: int = 2000, model_vocab: int | None = None, seed: int = 0,
                        weights: str = "safetensors", init_range: float = 0.02) -> Path:
    """Write a random BLOOM model and its tokenizer to folder; return the folder.

    weights: the checkpoint layout (see WEIGHT_FORMATS); "bin" is how the real udever repositories
    ship (a plain torch.save of the state dict). init_range: the weights' std (larger makes the last
    token depend more on the earlier ones, so recipe mistakes show).
    """
    import torch
    from transformers import BloomConfig, BloomModel, PreTrainedTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    texts = list(corpus) if corpus is not None else _default_corpus()
    tok = train_tokenizer(texts, tokenizer_vocab)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", pad_token="<pad>",
                                   bos_token="<s>", eos_token="</s>", padding_side="left")
    fast.save_pretrained(str(folder))
    vocab = model_vocab or max(tok.get_vocab_size(), 8)
    torch.manual_seed(seed)
    config = BloomConfig(vocab_size=vocab, pad_token_id=fast.pad_token_id, initializer_range=init_range,
                         **BLOOM_SHAPES[shape])
    save_weights(BloomModel(config).eval(), folder, weights)
    return folder


def save_weights(model, folder: Path, weights: str = "safetensors") -> None:
    """Save model's config and weights in one of WEIGHT_FORMATS (the sharded ones in two shards)."""
    import json

    import torch

    if weights not in WEIGHT_FORMATS:
        raise ValueError(f"weights must be one of {WEIGHT_FORMATS}")
    if weights == "safetensors":
        model.save_pretrained(str(folder))
        return
    model.config.save_pretrained(str(folder))
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    if weights == "bin":
        torch.save(state, folder / "pytorch_model.bin")
        return
    names = list(state)
    halves = [names[: len(names) // 2], names[len(names) // 2:]]
    ext, stem = (".bin", "pytorch_model") if weights == "sharded-bin" else (".safetensors", "model")
    weight_map = {}
    for i, part in enumerate(halves, 1):
        shard = f"{stem}-{i:05d}-of-00002{ext}"
        tensors = {k: state[k] for k in part}
        if ext == ".bin":
            torch.save(tensors, folder / shard)
        else:
            from safetensors.torch import save_file

            save_file(tensors, str(folder / shard), metadata={"format": "pt"})
        weight_map.update({k: shard for k in part})
    (folder / f"{stem}{ext}.index.json").write_text(json.dumps({"metadata": {}, "weight_map": weight_map}))


def _default_corpus() -> list[str]:
    """Source text to train a tokenizer on: this package's own code."""
    here = Path(__file__).parent
    return [p.read_text(encoding="utf-8") for p in sorted(here.glob("*.py"))] * 3
