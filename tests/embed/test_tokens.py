"""The tokenizer codesearch reads from tokenizer.json gives the ids transformers' AutoTokenizer gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from transformers import AutoTokenizer

from codesearch.embed.tokens import FastTokenizer, load_tokenizer, reads_plainly
from codesearch.models.resolve import resolve_model

TEXTS = [
    "def parse_config(path):\n    return json.loads(Path(path).read_text())",
    "解析配置文件 and retry failed HTTP calls",
    "[CLS] a marker [SEP] inside code [BOD] [EOD] [PAD]",
    "class Cart:\n\tdef total(self) -> float: ...  # ünïcödé, émoji 🚀",
    "retry the call " * 400,
    "",
    "   leading spaces\r\nand CRLF",
]


def _minilm() -> Path:
    return resolve_model("minilm").path


@pytest.fixture(params=["minilm", "tiny_bloom"])
def folder(request, tiny_bloom: Path) -> Path:
    return _minilm() if request.param == "minilm" else tiny_bloom


def test_ids_equal_autotokenizers(folder: Path) -> None:
    ours, theirs = load_tokenizer(folder, "m"), AutoTokenizer.from_pretrained(str(folder))
    assert isinstance(ours, FastTokenizer)
    for kwargs in ({}, {"add_special_tokens": False}, {"truncation": True, "max_length": 16},
                   {"truncation": True, "max_length": 300}):
        assert ours(TEXTS, **kwargs)["input_ids"] == theirs(TEXTS, **kwargs)["input_ids"], kwargs
        assert ours(TEXTS[0], **kwargs)["input_ids"] == theirs(TEXTS[0], **kwargs)["input_ids"], kwargs
    assert sorted(ours.all_special_ids) == sorted(theirs.all_special_ids)
    assert len(ours) == len(theirs)
    for role in ("pad", "cls", "sep", "bos", "eos", "unk"):
        assert getattr(ours, f"{role}_token_id") == getattr(theirs, f"{role}_token_id"), role
    tokens = ["[BOQ]", "[EOQ]", "[BOD]", "[EOD]", "[CLS]", "no-such-token-here"]
    assert ours.convert_tokens_to_ids(tokens) == theirs.convert_tokens_to_ids(tokens)
    ids = theirs(TEXTS[1])["input_ids"]
    assert ours.decode(ids) == theirs.decode(ids)


def test_truncation_settings_do_not_leak_between_calls(folder: Path) -> None:
    ours = load_tokenizer(folder, "m")
    short = ours([TEXTS[4]], truncation=True, max_length=8)["input_ids"][0]
    full = ours([TEXTS[4]])["input_ids"][0]
    assert len(short) == 8 and len(full) > 8


def test_a_wrapper_that_rewrites_the_tokenizer_goes_through_transformers(tmp_path: Path) -> None:
    """A BERT tokenizer whose config disagrees with its tokenizer.json (cased config, lowercasing json)
    is what BertTokenizerFast rebuilds at load: that one is left to transformers."""
    folder = tmp_path / "cased"
    shutil.copytree(_minilm(), folder)
    config = json.loads((folder / "tokenizer_config.json").read_text())
    (folder / "tokenizer_config.json").write_text(json.dumps({**config, "do_lower_case": False}))
    assert not reads_plainly(folder)
    tok = load_tokenizer(folder, "m")
    assert not isinstance(tok, FastTokenizer)
    assert tok("Parse")["input_ids"] == AutoTokenizer.from_pretrained(str(folder))("Parse")["input_ids"]
    assert reads_plainly(_minilm())


@pytest.mark.parametrize("change", [{"add_bos_token": True}, {"pad_token": "<no-such-pad>"}, {"truncation_side": "left"},
                                    {"split_special_tokens": True},
                                    {"added_tokens_decoder": {"9999": {"content": "[NEW]", "special": True}}}])
def test_what_transformers_would_rewrite_goes_through_it(tmp_path: Path, tiny_bloom: Path, change: dict) -> None:
    """A configuration that asks for a BOS token the json does not add, or names a special token the vocabulary
    lacks (transformers adds it as a new token): the ids would differ, so transformers tokenizes."""
    folder = tmp_path / "changed"
    shutil.copytree(tiny_bloom, folder)
    config = json.loads((folder / "tokenizer_config.json").read_text())
    (folder / "tokenizer_config.json").write_text(json.dumps({**config, **change}))
    tok = load_tokenizer(folder, "m")
    assert not isinstance(tok, FastTokenizer)
    theirs = AutoTokenizer.from_pretrained(str(folder))
    assert tok(TEXTS)["input_ids"] == theirs(TEXTS)["input_ids"]
    assert tok(TEXTS, truncation=True, max_length=8)["input_ids"] == theirs(TEXTS, truncation=True, max_length=8)["input_ids"]
