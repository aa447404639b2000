"""A model's tokenizer read straight from its `tokenizer.json` with the `tokenizers` library.

transformers' AutoTokenizer wraps this same Rust tokenizer, but importing it costs about 1.3 s on two
cores (transformers' utilities, then its tokenizer classes) in every cold process: every `codesearch
index`, every `codesearch query` without a server. The ids are the same (tests/embed/test_tokens.py
checks them against AutoTokenizer), the special tokens come from the folder's own configuration
(special_tokens_map.json, tokenizer_config.json), and each truncation setting gets its own tokenizer
instance, so threads never change one another's settings.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Sequence

from codesearch.errors import ModelError

SPECIAL_ROLES = ("bos", "eos", "unk", "sep", "pad", "cls", "mask")  # HF's named special tokens


def _content(token) -> str | None:
    """A special token's text, written as a string or as {"content": ...}."""
    if isinstance(token, dict):
        token = token.get("content")
    return token if isinstance(token, str) else None


def _read_json(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {path}: {exc}; download the model again") from exc
    return data if isinstance(data, dict) else {}


class FastTokenizer:
    """The subset of a transformers fast tokenizer codesearch uses, on the `tokenizers` library alone."""

    def __init__(self, pipeline: str, config: dict, special_map: dict) -> None:
        """pipeline: tokenizer.json's text; config, special_map: tokenizer_config.json and special_tokens_map.json."""
        from tokenizers import Tokenizer

        self._json = pipeline
        self._base = Tokenizer.from_str(pipeline)  # never truncates: the variant for "no truncation" too
        self._base.no_padding()
        self._base.no_truncation()
        self._variants: dict[int | None, object] = {None: self._base}
        self._lock = threading.Lock()
        special = {**config, **special_map}
        self.special_tokens = {role: _content(special.get(f"{role}_token")) for role in SPECIAL_ROLES}
        extra = special.get("additional_special_tokens") or []
        self.additional_special_tokens = [t for t in (_content(x) for x in extra) if t]
        decoder = config.get("added_tokens_decoder") or {}  # tokens transformers adds at load when the json lacks them
        listed = decoder.values() if isinstance(decoder, dict) else ()
        self.added_tokens = [t for t in (_content(x) for x in listed) if t]
        for role in SPECIAL_ROLES:
            setattr(self, f"{role}_token_id", self._id(self.special_tokens[role]))

    def complete(self) -> bool:
        """True when every special token the configuration names is in the vocabulary (transformers adds
        the missing ones as new tokens at load, which changes the ids: such a folder goes through it)."""
        names = [t for t in self.special_tokens.values() if t] + self.additional_special_tokens + self.added_tokens
        return all(self._id(t) is not None for t in names)

    def _id(self, token: str | None) -> int | None:
        return None if token is None else self._base.token_to_id(token)

    def _variant(self, max_length: int | None):
        """A tokenizer truncating at max_length (None: never), unpadded; made once per setting."""
        with self._lock:
            tok = self._variants.get(max_length)
            if tok is None:
                from tokenizers import Tokenizer

                tok = Tokenizer.from_str(self._json)
                tok.no_padding()
                tok.enable_truncation(max_length)
                self._variants[max_length] = tok
            return tok

    def __call__(self, texts: str | Sequence[str], truncation: bool = False, max_length: int | None = None,
                 add_special_tokens: bool = True) -> dict:
        """{"input_ids": ids} for one text or a list of them, as AutoTokenizer's call answers."""
        tok = self._variant(max_length if truncation and max_length else None)
        if isinstance(texts, str):
            return {"input_ids": tok.encode(texts, add_special_tokens=add_special_tokens).ids}
        encoded = tok.encode_batch(list(texts), add_special_tokens=add_special_tokens)
        return {"input_ids": [e.ids for e in encoded]}

    def __len__(self) -> int:
        return self._base.get_vocab_size(with_added_tokens=True)

    @property
    def all_special_ids(self) -> list[int]:
        """Ids of the named and additional special tokens (as transformers counts them)."""
        names = [t for t in self.special_tokens.values() if t] + self.additional_special_tokens
        ids = (self._id(t) for t in dict.fromkeys(names))
        return [i for i in ids if i is not None]

    def convert_tokens_to_ids(self, tokens: str | Sequence[str]):
        """The id of a token (or of each), the unknown token's id for one the vocabulary lacks."""
        if isinstance(tokens, str):
            found = self._id(tokens)
            return self.unk_token_id if found is None else found
        return [self.convert_tokens_to_ids(t) for t in tokens]

    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False) -> str:
        """The text of ids (no clean-up of spaces around punctuation)."""
        return self._base.decode(list(ids), skip_special_tokens=skip_special_tokens)


# Tokenizer classes whose transformers wrapper adds nothing to tokenizer.json's own pipeline (checked against
# AutoTokenizer in tests/embed/test_tokens.py); others, or a folder without tokenizer.json, go through transformers.
PLAIN_CLASSES = frozenset({"BloomTokenizerFast", "PreTrainedTokenizerFast", "TokenizersBackend",
                           "BertTokenizer", "BertTokenizerFast"})


def reads_plainly(folder: Path) -> bool:
    """True when folder's tokenizer is its tokenizer.json as it stands (no wrapper that rewrites it at load)."""
    if not (folder / "tokenizer.json").is_file():
        return False
    pipeline = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    return _plain(_read_json(folder / "tokenizer_config.json"), pipeline)


def _plain(config: dict, pipeline: dict) -> bool:
    """reads_plainly on the parsed tokenizer_config.json and tokenizer.json."""
    if config.get("tokenizer_class", "PreTrainedTokenizerFast") not in PLAIN_CLASSES:
        return False
    if config.get("add_bos_token") or config.get("add_eos_token"):  # transformers rewrites the post-processor
        return False
    if config.get("truncation_side", "right") != "right" or config.get("split_special_tokens") \
            or config.get("add_prefix_space") is not None:  # settings transformers applies to the json's pipeline
        return False
    if (pipeline.get("truncation") or {}).get("direction", "Right") != "Right":
        return False
    if "Bert" in str(config.get("tokenizer_class")):  # BertTokenizerFast rebuilds a normalizer that disagrees
        normalizer = pipeline.get("normalizer") or {}
        if normalizer.get("type") != "BertNormalizer" or \
                normalizer.get("lowercase") != config.get("do_lower_case", True) or \
                normalizer.get("strip_accents") != config.get("strip_accents") or \
                normalizer.get("handle_chinese_chars") != config.get("tokenize_chinese_chars", True):
            return False
    return True


def _plain_tokenizer(folder: Path) -> FastTokenizer | None:
    """folder's tokenizer on `tokenizers` alone, each file read and parsed once; None where transformers would
    give other ids (a wrapper that rewrites the pipeline, or special tokens the vocabulary lacks)."""
    if not (folder / "tokenizer.json").is_file():
        return None
    text = (folder / "tokenizer.json").read_text(encoding="utf-8")
    config = _read_json(folder / "tokenizer_config.json")
    if not _plain(config, json.loads(text)):
        return None
    tok = FastTokenizer(text, config, _read_json(folder / "special_tokens_map.json"))
    return tok if tok.complete() else None


def load_tokenizer(folder: Path, model_id: str):
    """The model's tokenizer (tokenizers alone where that is the same, else transformers'), or one clear error."""
    try:
        plain = _plain_tokenizer(folder)
        if plain is not None:
            return plain
        from codesearch.embed.weights import quiet_transformers

        quiet_transformers()
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(str(folder))
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - tokenizers and transformers raise many kinds for a bad folder
        raise ModelError(f"model {model_id!r}: cannot load its tokenizer from {folder}: {exc}") from exc


__all__ = ["FastTokenizer", "load_tokenizer", "reads_plainly"]
