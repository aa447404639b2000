"""Memory and precision per model and device, decided from real udever configs before loading."""

from __future__ import annotations

import pytest

from codesearch.errors import ModelError
from codesearch.embed.memory import BloomSize, Precision, choose_precision, need

# config.json values of the four udever models (izhx/udever-bloom-*, as in bigscience/bloomz-*)
CONFIGS = {
    "560m": {"model_type": "bloom", "vocab_size": 250880, "hidden_size": 1024, "n_layer": 24, "n_head": 16},
    "1b1": {"model_type": "bloom", "vocab_size": 250880, "hidden_size": 1536, "n_layer": 24, "n_head": 16},
    "3b": {"model_type": "bloom", "vocab_size": 250880, "hidden_size": 2560, "n_layer": 30, "n_head": 32},
    "7b1": {"model_type": "bloom", "vocab_size": 250880, "hidden_size": 4096, "n_layer": 30, "n_head": 32},
}
GiB = 1024 ** 3


@pytest.mark.parametrize("name", list(CONFIGS))
def test_parameter_count_is_exact(name: str) -> None:
    import torch
    from transformers import BloomConfig, BloomModel

    config = CONFIGS[name]
    with torch.device("meta"):  # the real shapes, no memory
        model = BloomModel(BloomConfig(**{k: v for k, v in config.items() if k != "model_type"}))
    size = BloomSize.from_config(config)
    assert size.params == sum(p.numel() for p in model.parameters())
    linear = sum(m.weight.numel() + m.bias.numel() for m in model.modules() if isinstance(m, torch.nn.Linear))
    assert size.linear_params == linear


def test_sizes_match_the_published_ones() -> None:
    params = {n: BloomSize.from_config(c).params / 1e9 for n, c in CONFIGS.items()}
    assert params == pytest.approx({"560m": 0.559, "1b1": 1.065, "3b": 3.003, "7b1": 7.069}, abs=0.002)


def _plan(name: str, device: str, free_gib: float | None, **kw) -> Precision:
    free = None if free_gib is None else int(free_gib * GiB)
    return choose_precision(BloomSize.from_config(CONFIGS[name]), device, free, model=f"udever-{name}", **kw)


def test_cpu_keeps_fp32_when_it_fits() -> None:
    p = _plan("560m", "cpu", 16)
    assert (p.dtype, p.quantize, p.note) == ("float32", None, None)
    assert 2.2 * GiB < p.need_bytes < 3.5 * GiB


def test_cpu_3b_on_8gb_falls_back_to_int8_and_says_why() -> None:
    p = _plan("3b", "cpu", 8)
    assert p.quantize == "int8" and "int8" in p.note and "fp32 needs" in p.note
    assert p.need_bytes <= 8 * GiB


def test_cpu_with_native_bf16_prefers_bf16_over_int8() -> None:
    p = _plan("3b", "cpu", 8, cpu_bf16=True)
    assert (p.dtype, p.quantize) == ("bfloat16", None) and "bfloat16" in p.note
    assert _plan("3b", "cpu", 8).dtype == "float32"  # without native bf16, never bf16 on CPU


def test_cpu_7b1_on_8gb_is_refused_with_what_would_work() -> None:
    with pytest.raises(ModelError) as info:
        _plan("7b1", "cpu", 8)
    message = str(info.value)
    assert "\n" not in message and "udever-7b1 does not fit" in message
    assert "udever-3b" in message and "--device cuda" in message and "int8 needs" in message


def test_asked_int8_that_does_not_fit_is_refused() -> None:
    with pytest.raises(ModelError, match="even with --precision int8"):
        _plan("7b1", "cpu", 4, quantize="int8")
    assert _plan("7b1", "cpu", 12, quantize="int8").quantize == "int8"


def test_cuda_uses_bf16_or_fp16_and_refuses_a_too_small_gpu() -> None:
    assert _plan("7b1", "cuda", 40).dtype == "bfloat16"
    assert _plan("7b1", "cuda", 40, cuda_bf16=False).dtype == "float16"
    with pytest.raises(ModelError) as info:
        _plan("7b1", "cuda:0", 8)
    message = str(info.value)
    assert "bfloat16 on cuda:0" in message and "udever-3b" in message and "--device cpu" in message


def test_unknown_memory_assumes_it_fits() -> None:
    assert _plan("7b1", "cpu", None).dtype == "float32"


def test_need_grows_with_the_token_budget() -> None:
    size = BloomSize.from_config(CONFIGS["560m"])
    assert need(size, "float32", None, 16384, 300) > need(size, "float32", None, 2048, 300)


def test_streamed_int8_load_equals_quantising_the_fp32_model(tiny_bloom) -> None:
    import numpy as np
    from transformers import BloomModel

    from codesearch.embed.embedding import load_embedder, quantize_int8

    from codesearch.config import Config
    from codesearch.embed.weights import load_bloom_int8

    texts = ["def add(a, b):\n    return a + b", "parse the configuration file", "x"]
    streamed = load_embedder(str(tiny_bloom), Config(max_length=64, precision="int8"))
    assert streamed.precision.quantize == "int8"
    reference = load_embedder(str(tiny_bloom), Config(max_length=64))
    reference.model = quantize_int8(BloomModel.from_pretrained(str(tiny_bloom)).eval())
    from codesearch.embed.embedding import use_tanh_gelu

    use_tanh_gelu(reference.model)
    assert np.abs(streamed.embed_documents(texts) - reference.embed_documents(texts)).max() < 1e-6
    model = load_bloom_int8(tiny_bloom)
    assert not any(p.is_meta for p in model.parameters())


def test_a_model_that_does_not_fit_is_refused_before_loading(tiny_bloom, monkeypatch) -> None:
    from codesearch.embed.embedding import load_embedder
    from codesearch.config import Config

    monkeypatch.setenv("CODESEARCH_MAX_MEMORY", "100M")
    with pytest.raises(ModelError, match="does not fit in memory|even with --precision int8"):
        load_embedder(str(tiny_bloom))
    monkeypatch.setenv("CODESEARCH_MAX_MEMORY", "64G")
    assert load_embedder(str(tiny_bloom)).precision.dtype == "float32"
    monkeypatch.setenv("CODESEARCH_MAX_MEMORY", "lots")
    with pytest.raises(ModelError, match="not a size"):
        load_embedder(str(tiny_bloom))
