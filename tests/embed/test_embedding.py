"""Embedding: the udever recipe on a tiny real BLOOM, model resolution, and MiniLM's meaning."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from codesearch.embed.embedding import UdeverEmbedder, load_embedder, padding_waste, token_budget_batches

from codesearch.config import Config
from codesearch.errors import ModelError
from codesearch.models.resolve import resolve_model

TEXTS = [
    "def load_config(path):\n    return json.load(open(path))",
    "x",
    "func RetryRequest(c *http.Client) error {\n\tfor i := 0; i < 3; i++ {\n\t\tc.Do(nil)\n\t}\n\treturn nil\n}" * 3,
    "class Cart\n  def total_price\n    @items.map(&:price).sum\n  end\nend",
    "解析配置文件",
]


@pytest.fixture(scope="module")
def udever(tiny_bloom: Path) -> UdeverEmbedder:
    return load_embedder(str(tiny_bloom), Config(max_length=64, batch_tokens=128, precision="fp32"))  # type: ignore[return-value]


def test_batched_equals_one_at_a_time(udever: UdeverEmbedder) -> None:
    batched = udever.embed_documents(TEXTS)
    single = np.stack([udever.embed_documents([t])[0] for t in TEXTS])
    assert np.abs(batched - single).max() < 1e-4
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


def test_markers_survive_truncation(udever: UdeverEmbedder) -> None:
    long = "word " * 500
    (doc,) = udever._tokenize([long], "document")
    (query,) = udever._tokenize([long], "query")
    assert len(doc) == udever.max_length and doc[0] == udever.bod and doc[-1] == udever.eod
    assert len(query) == udever.max_length and query[0] == udever.boq and query[-1] == udever.eoq


def test_query_and_document_markers_differ(udever: UdeverEmbedder) -> None:
    q = udever.embed_queries(["parse config"])[0]
    d = udever.embed_documents(["parse config"])[0]
    assert np.abs(q - d).max() > 1e-3


def test_fast_gelu_matches_original(tiny_bloom: Path) -> None:
    resolved = resolve_model(str(tiny_bloom))
    exact = UdeverEmbedder(resolved, max_length=64, fast_gelu=False).embed_documents(TEXTS)
    fast = UdeverEmbedder(resolved, max_length=64, fast_gelu=True).embed_documents(TEXTS)
    assert np.abs(exact - fast).max() < 1e-4


def test_int8_agrees_with_fp32(tiny_bloom: Path, udever: UdeverEmbedder) -> None:
    q8 = load_embedder(str(tiny_bloom), Config(max_length=64, precision="int8")).embed_documents(TEXTS)
    cos = (q8 * udever.embed_documents(TEXTS)).sum(1)
    assert cos.min() > 0.95


def test_fast_queries_use_an_int8_copy_and_leave_documents_exact(tiny_bloom: Path) -> None:
    embedder = load_embedder(str(tiny_bloom), Config(max_length=64, precision="fp32"))
    exact_q = embedder.embed_queries(TEXTS)
    exact_d = embedder.embed_documents(TEXTS)
    assert embedder.fast_queries() is True and embedder.query_model is not embedder.model
    assert embedder.query_model.word_embeddings is embedder.model.word_embeddings  # shared, not copied
    assert np.array_equal(embedder.embed_documents(TEXTS), exact_d)
    fast_q = embedder.embed_queries(TEXTS)
    assert (fast_q * exact_q).sum(1).min() > 0.95 and not np.array_equal(fast_q, exact_q)


def test_not_a_udever_tokenizer_is_refused(tmp_path: Path, tiny_bloom: Path) -> None:
    from codesearch.models.random_models import train_tokenizer
    from transformers import PreTrainedTokenizerFast

    folder = tmp_path / "plain-bloom"
    folder.mkdir()
    (folder / "config.json").write_text((tiny_bloom / "config.json").read_text())
    (folder / "model.safetensors").write_bytes((tiny_bloom / "model.safetensors").read_bytes())
    tok = train_tokenizer(["plain text only " * 50], 300)
    PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", pad_token="<pad>").save_pretrained(str(folder))
    # the trainer above adds the markers; rebuild the vocabulary without them
    data = json.loads((folder / "tokenizer.json").read_text())
    data["added_tokens"] = [t for t in data["added_tokens"] if not t["content"].startswith("[")]
    for marker in ("[BOQ]", "[EOQ]", "[BOD]", "[EOD]"):
        data["model"]["vocab"].pop(marker, None)
    (folder / "tokenizer.json").write_text(json.dumps(data))
    with pytest.raises(ModelError, match="not a udever model"):
        load_embedder(str(folder))


def test_missing_hub_model_is_one_clear_error() -> None:
    with pytest.raises(ModelError) as info:
        resolve_model("udever-560m")
    message = str(info.value)
    assert "izhx/udever-bloom-560m" in message and "huggingface-cli download" in message and "\n" not in message


def test_cli_model_missing_exit_code_and_no_traceback() -> None:
    cmd = [sys.executable, "-c", "from codesearch.cli import main; main()", "embed", "--model", "udever-1b1", "hello"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "izhx/udever-bloom-1b1" in result.stderr
    assert result.stdout == ""


def test_cli_embed_json_is_normalised_and_in_order(tiny_bloom: Path) -> None:
    cmd = [sys.executable, "-c", "from codesearch.cli import main; main()", "embed", "--document", "--json",
           "--model", str(tiny_bloom), "alpha", "beta gamma"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    vecs = np.array(json.loads(result.stdout))
    assert vecs.shape == (2, 64) and np.allclose(np.linalg.norm(vecs, axis=1), 1, atol=1e-4)
    direct = load_embedder(str(tiny_bloom)).embed_documents(["alpha", "beta gamma"])
    assert np.abs(vecs - direct).max() < 1e-4
    assert "model:" in result.stderr


def test_token_budget_batches_cover_everything_and_respect_budget() -> None:
    lengths = [5, 300, 17, 17, 120, 1, 64, 64, 64, 250]
    batches = token_budget_batches(lengths, 400)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert all(max(lengths[i] for i in b) * len(b) <= 400 or len(b) == 1 for b in batches)
    assert padding_waste(lengths, batches) < 0.5


def test_the_token_budget_truncates_an_encoder_within_its_own_limit() -> None:
    """Config.max_length is the token budget per unit for every model (benchmarks/token_budget.py): by default
    the length the model was trained with (MiniLM's 128), an explicit one capped at its limit (256)."""
    from codesearch.config import Config

    assert load_embedder("minilm").max_length == 128
    assert load_embedder("minilm", Config(max_length=1000), weights=False).max_length == 256
    assert load_embedder("minilm", Config(max_length=256), weights=False).legacy_length == 256
    short = load_embedder("minilm", Config(max_length=16))
    long_text = "def parse_config(path):\n" + "    value = read(path)\n" * 200
    head = short.tokenizer.decode(short.tokenizer(long_text)["input_ids"][1:15])  # the first 14 tokens, no markers
    assert short.max_length == 16
    vec, head_vec = short.embed_documents([long_text, head])
    assert float(vec @ head_vec) > 0.999  # the rest of the unit was not read
    assert float(vec @ load_embedder("minilm").embed_documents([long_text])[0]) < 0.99


def test_each_model_reads_a_unit_up_to_the_length_it_was_trained_with(tiny_bloom: Path, tmp_path: Path) -> None:
    """The default token budget per model (models.resolve.token_budget, the one place that resolves it):
    udever 300 (its model card), MiniLM 128 (trained so), any other encoder the least its folder states,
    at most 512; an explicit budget wins, capped at the model's limit; a budget under 2 is an error."""
    from codesearch.errors import UsageError
    from codesearch.models.resolve import MINILM_ID, ResolvedModel, token_budget

    udever = load_embedder(str(tiny_bloom), weights=False)
    assert (udever.max_length, udever.legacy_length) == (300, 300)
    assert load_embedder(str(tiny_bloom), Config(max_length=64), weights=False).max_length == 64
    assert load_embedder(str(tiny_bloom), Config(max_length=100_000), weights=False).max_length == 2048
    with pytest.raises(UsageError, match="CODESEARCH_MAX_LENGTH"):
        load_embedder(str(tiny_bloom), Config(max_length=1), weights=False)

    def encoder(name: str, model_id: str | None = None, positions: int = 512, **files: dict) -> ResolvedModel:
        """A sentence-transformers-style folder stating lengths (no weights: none are read)."""
        folder = tmp_path / name
        folder.mkdir()
        (folder / "config.json").write_text(json.dumps({"model_type": "bert", "max_position_embeddings": positions}))
        for stem, content in files.items():
            (folder / f"{stem}.json").write_text(json.dumps(content))
        return ResolvedModel(model_id or str(folder), folder, "meanpool")

    def budgets(resolved: ResolvedModel) -> tuple[int, int, int]:
        found = token_budget(resolved)
        return found.trained, found.longest, found.legacy

    assert budgets(encoder("stated", tokenizer_config={"model_max_length": 384})) == (384, 384, 256)
    assert budgets(encoder("unset", tokenizer_config={"model_max_length": int(1e30)})) == (512, 512, 256)
    long_ = encoder("long", positions=8192, tokenizer_config={"model_max_length": 8192})
    assert budgets(long_) == (512, 512, 256) and token_budget(long_).tokens(4096) == 512
    cut = encoder("cut", sentence_bert_config={"max_seq_length": 200}, tokenizer_config={"model_max_length": 512})
    assert budgets(cut) == (200, 200, 200)
    minilm = encoder("minilm", MINILM_ID, sentence_bert_config={"max_seq_length": 256},
                     tokenizer_config={"model_max_length": 512})
    assert budgets(minilm) == (128, 256, 256) and token_budget(minilm).tokens(None) == 128
    assert Config.resolve({}, {"CODESEARCH_MAX_LENGTH": "64"}).max_length == 64 and Config().max_length is None


def test_minilm_ranks_the_right_function_first() -> None:
    embedder = load_embedder("minilm")
    assert embedder.model_id == "sentence-transformers/all-MiniLM-L6-v2" and embedder.dim == 384
    functions = [
        "def load_config(path):\n    with open(path) as fh:\n        return json.load(fh)",
        "def send_email(to, subject, body):\n    smtp = smtplib.SMTP('localhost')\n    smtp.sendmail('me', to, body)",
        "func RetryRequest(c *http.Client, req *http.Request, attempts int) (*http.Response, error) {\n"
        "\tfor i := 0; i < attempts; i++ {\n\t\tif resp, err := c.Do(req); err == nil {\n\t\t\treturn resp, nil\n\t\t}\n\t}\n}",
        "public static String reverse(String s) { return new StringBuilder(s).reverse().toString(); }",
        "def total_price\n  @items.map(&:price).sum\nend",
    ]
    docs = embedder.embed_documents(functions)
    queries = ["read the configuration file", "send a mail message", "retry a failed http request",
               "reverse a string", "sum the prices in the cart"]
    sims = embedder.embed_queries(queries) @ docs.T
    assert list(sims.argmax(axis=1)) == [0, 1, 2, 3, 4]


def test_torch_threads_default_to_physical_cores(tiny_bloom: Path) -> None:
    import os

    import torch

    from codesearch.embed.embedding import physical_cores

    before = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(before)})
        assert physical_cores() == 1  # counts only the CPUs this process may use
    finally:
        os.sched_setaffinity(0, before)
    assert 1 <= physical_cores() <= len(before)
    from codesearch.embed import compute

    compute.run(lambda: torch.set_num_threads(1))  # the thread every forward runs on (codesearch.embed.compute)
    load_embedder(str(tiny_bloom), Config(max_length=64))
    assert compute.run(torch.get_num_threads) == physical_cores()


def test_the_default_precision_is_the_measured_one_and_the_shape_says_it_before_loading(tiny_bloom: Path) -> None:
    """int8 (per channel) is the CPU default: it lost at most 0.004 NDCG@10 on the whole-repository benchmark
    (benchmarks/results/int8.md; change CPU_PRECISION only with a new measurement). What an index records before
    the weights load (model_shape) is the precision the loaded model's vectors are of, for every setting."""
    from codesearch.embed.embedding import CPU_PRECISION, model_shape, precision_for
    from codesearch.errors import UsageError

    assert CPU_PRECISION == "int8"
    assert precision_for(None, "cpu") == CPU_PRECISION and precision_for(None, "cuda") == "fp32"
    with pytest.raises(UsageError, match="int8 is for the CPU only"):
        precision_for("int8", "cuda")
    with pytest.raises(UsageError, match="unknown precision 'int4'"):
        load_embedder(str(tiny_bloom), Config(precision="int4"))
    for cfg in (Config(), Config(precision="int8"), Config(precision="fp32")):
        for name in (str(tiny_bloom), "minilm"):
            loaded = load_embedder(name, cfg)
            assert model_shape(name, cfg).vector_precision == loaded.vector_precision == (cfg.precision or CPU_PRECISION)
            quantized = any(type(m).__module__.startswith("torch.ao.nn.quantized") for m in loaded.model.modules())
            assert quantized == (loaded.vector_precision == "int8")


def test_a_bloom_that_fits_only_in_int8_is_keyed_as_int8_before_it_loads(tiny_bloom: Path, monkeypatch) -> None:
    """The memory planner loads a BLOOM in int8 when no float precision fits: the shape says so beforehand,
    so an index never keys int8 vectors as fp32 ones."""
    import json as json_

    from codesearch.embed import memory
    from codesearch.embed.embedding import model_shape
    from codesearch.embed.memory import BloomSize, need

    monkeypatch.setattr(memory, "cpu_has_native_bf16", lambda: False)  # a CPU without bf16: fp32 or int8, no third way
    size = BloomSize.from_config(json_.loads((tiny_bloom / "config.json").read_text()))
    int8 = need(size, "float32", "int8", 2048, 300)
    floats = [need(size, "float32", None, 2048, 300)]
    assert int8 < min(floats), "the tiny BLOOM's sizes no longer leave room for this check"
    monkeypatch.setenv("CODESEARCH_MAX_MEMORY", str(int8 + 1))
    shape, loaded = model_shape(str(tiny_bloom)), load_embedder(str(tiny_bloom))
    assert (shape.vector_precision, loaded.vector_precision, loaded.precision.quantize) == ("int8", "int8", "int8")


@pytest.mark.skipif(sys.platform != "linux" or any(Path("/dev").glob("nvidia[0-9]*")) or Path("/dev/kfd").exists(),
                    reason="a GPU's device node is here: torch is asked")
def test_a_cpu_only_machine_plans_a_model_without_importing_torch() -> None:
    """A first index learns its model's shape and precision before the lexical pass: without a GPU that must not
    cost torch's import (a second), which then runs on the model's loading thread beside the parse."""
    code = ("import sys; from codesearch.embed.embedding import choose_device, model_shape; "
            "s = model_shape('minilm'); print(choose_device(), choose_device('cpu'), s.vector_precision, "
            "'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["cpu", "cpu", "int8", "False"], out.stderr
