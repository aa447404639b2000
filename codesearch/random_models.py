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
}
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
                        tokenizer_vocab: int = 2000, model_vocab: int | None = None, seed: int = 0) -> Path:
    """Write a random BLOOM model and its tokenizer to folder; return the folder."""
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
    config = BloomConfig(vocab_size=vocab, pad_token_id=fast.pad_token_id, **BLOOM_SHAPES[shape])
    BloomModel(config).eval().save_pretrained(str(folder))
    return folder


def _default_corpus() -> list[str]:
    """Source text to train a tokenizer on: this package's own code."""
    here = Path(__file__).parent
    return [p.read_text(encoding="utf-8") for p in sorted(here.glob("*.py"))] * 3
