"""Getting the default model as a user with the hub would, against a loopback hub on 127.0.0.1.

The real huggingface_hub client, real HTTP, the tiny real BLOOM laid out like the udever
repositories (a torch.save'd pytorch_model.bin, tokenizer files with the four markers), real
conversion to safetensors and real transformers loading.
"""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from codesearch.cli import cli
from codesearch.embed.embedding import load_embedder
from codesearch.config import Config
from codesearch.errors import ModelError
from codesearch.models.cache import MANIFEST, folder_for, read_manifest
from codesearch.models.resolve import resolve_model
from codesearch.models.random_models import build_random_udever
from hub_server import LoopbackHub, Repo

UDEVER = "izhx/udever-bloom-560m"
EXTRAS = {"README.md": b"---\nlicense: bigscience-bloom-rail-1.0\n---\n# udever\n", ".gitattributes": b"*.bin filter=lfs\n",
          "training_args.bin": b"not weights: a pickled TrainingArguments in the real world"}
TEXTS = ["def load_config(path):\n    return json.load(open(path))", "retry failed http calls", "x" * 40]


@pytest.fixture(scope="module")
def layouts(tmp_path_factory, tiny_bloom: Path) -> dict[str, Path]:
    """The same tiny random BLOOM (same seed, same tokenizer corpus) in each checkpoint layout."""
    from conftest import FIXTURES, _words

    sources = {".py", ".go", ".rb", ".java", ".js", ".php"}
    corpus = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.suffix in sources]
    corpus = corpus * 4 + _words()
    base = tmp_path_factory.mktemp("layouts")
    out = {fmt: build_random_udever(base / fmt, "tiny", corpus, weights=fmt) for fmt in ("bin", "sharded-bin",
                                                                                       "sharded-safetensors")}
    both = base / "both"  # safetensors and a torch checkpoint side by side: only one may be fetched
    shutil.copytree(tiny_bloom, both)
    shutil.copy(out["bin"] / "pytorch_model.bin", both / "pytorch_model.bin")
    out["both"] = both
    for folder in out.values():  # the udever repositories carry one (transformers 5 no longer writes it)
        (folder / "special_tokens_map.json").write_text(json.dumps(
            {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}))
    return out


@pytest.fixture
def hub(monkeypatch, tmp_path, layouts):
    """A started loopback hub, HF_ENDPOINT pointing at it, empty HF_HOME and codesearch cache."""
    import huggingface_hub.constants as hf_constants

    server = LoopbackHub().start()
    server.repos[UDEVER] = Repo(layouts["bin"], extra_files=dict(EXTRAS))
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", False)  # read once at import; the env is read now
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf_home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield server
    server.stop()


def _offline(monkeypatch) -> None:
    import huggingface_hub.constants as hf_constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", True)


def _invoke(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def _query(text: str) -> list[tuple[str, str]]:
    return [(h["path"], h["qualified_name"]) for h in json.loads(_invoke("query", "--json", "--no-server", text).stdout)]


def test_index_with_no_model_downloads_converts_indexes_and_answers(hub, sample_repo, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(sample_repo)
    report = json.loads(_invoke("index", "--json", "-q").stdout.strip().splitlines()[-1])
    assert report["functions_total"] > 5
    folder = folder_for(UDEVER)
    assert (folder / "model.safetensors").is_file() and not list(folder.glob("*.bin")) and not list(folder.glob("*.part"))
    manifest = read_manifest(folder)
    assert manifest.converted_from == "pytorch_model.bin" and manifest.licence == "bigscience-bloom-rail-1.0"
    fetched = {p.rsplit("/", 1)[1] for m, p, _ in hub.log if m == "GET" and "/resolve/" in p}
    assert fetched == {"config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                       "pytorch_model.bin"}  # no README, no .gitattributes, no training_args.bin
    hits = _query("load the configuration")
    assert hits and ("lib/config.py", "load_config") in hits

    before = hub.requests()
    _offline(monkeypatch)
    again = json.loads(_invoke("index", "--json", "-q", "--rebuild").stdout.strip().splitlines()[-1])
    assert again["functions_total"] == report["functions_total"]
    assert _query("load the configuration") == hits
    assert hub.requests() == before  # offline: not a single request


def test_converted_model_embeds_like_the_original(hub, layouts) -> None:
    from transformers import BloomModel

    from codesearch.embed.embedding import use_tanh_gelu

    embedder = load_embedder("udever-560m", Config(max_length=64, precision="fp32"))
    got = embedder.embed_documents(TEXTS)
    # the original weights, read by transformers straight from the .bin, as the reference
    embedder.model = BloomModel.from_pretrained(str(layouts["bin"]), use_safetensors=False).eval()
    use_tanh_gelu(embedder.model)
    assert np.abs(got - embedder.embed_documents(TEXTS)).max() < 1e-6


def test_safetensors_preferred_and_never_both(hub, layouts) -> None:
    hub.repos["someone/both"] = Repo(layouts["both"])
    resolved = resolve_model("someone/both")
    assert hub.gets("model.safetensors") and not hub.gets("pytorch_model.bin")
    assert read_manifest(resolved.path).converted_from is None


@pytest.mark.parametrize("layout", ["sharded-bin", "sharded-safetensors"])
def test_sharded_weights(hub, layouts, layout) -> None:
    hub.repos["someone/sharded"] = Repo(layouts[layout])
    embedder = load_embedder("someone/sharded", Config(max_length=64))
    folder = folder_for("someone/sharded")
    assert sorted(p.name for p in folder.glob("model-*.safetensors")) == ["model-00001-of-00002.safetensors",
                                                                          "model-00002-of-00002.safetensors"]
    assert (folder / "model.safetensors.index.json").is_file() and not list(folder.glob("*.bin*"))
    hub.repos["someone/single"] = Repo(layouts["bin"])
    single = load_embedder("someone/single", Config(max_length=64))
    assert np.abs(embedder.embed_documents(TEXTS) - single.embed_documents(TEXTS)).max() < 1e-6


def _one_line_error(name: str) -> str:
    with pytest.raises(ModelError) as info:
        resolve_model(name)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_wrong_id_is_404_and_one_line(hub) -> None:
    message = _one_line_error("izhx/no-such-model")
    assert "was not found" in message and "check the id" in message


def test_gated_and_forbidden_say_to_log_in(hub, layouts) -> None:
    hub.repos["org/restricted"] = Repo(layouts["bin"], mode="gated")
    hub.repos["org/private"] = Repo(layouts["bin"], mode="forbidden")
    gated = _one_line_error("org/restricted")
    assert "is gated: accept its terms" in gated and "HF_TOKEN" in gated and "hf auth login" in gated
    private = _one_line_error("org/private")
    assert "403" in private and "HF_TOKEN" in private


def test_dropped_connection_resumes_with_a_range_request(hub) -> None:
    hub.repos[UDEVER].drop_once = {"pytorch_model.bin"}
    resolved = resolve_model("udever-560m")
    ranges = hub.gets("pytorch_model.bin")  # CDN GETs after the resolve redirect
    size = (hub.repos[UDEVER].folder / "pytorch_model.bin").stat().st_size
    assert ranges[0] is None and any(r == f"bytes={size // 2}-" for r in ranges[1:]), ranges
    assert (resolved.path / "model.safetensors").is_file()


def test_interrupted_download_resumes_in_the_next_run(hub) -> None:
    source = hub.repos[UDEVER].folder / "pytorch_model.bin"
    folder = folder_for(UDEVER)
    folder.mkdir(parents=True)
    data = source.read_bytes()
    (folder / "pytorch_model.bin.part").write_bytes(data[:1000])  # what a killed earlier run leaves
    resolve_model("udever-560m")
    assert "bytes=1000-" in hub.gets("pytorch_model.bin")
    assert (folder / MANIFEST).is_file()


def test_corrupt_partial_download_is_caught_by_the_checksum(hub) -> None:
    folder = folder_for(UDEVER)
    folder.mkdir(parents=True)
    size = (hub.repos[UDEVER].folder / "pytorch_model.bin").stat().st_size
    (folder / "pytorch_model.bin.part").write_bytes(b"\0" * 1000)  # garbage where the real bytes should be
    message = str(pytest.raises(ModelError, resolve_model, "udever-560m").value)
    assert "sha256" in message and not (folder / "pytorch_model.bin.part").exists() and size > 1000
    assert (resolve_model("udever-560m").path / "model.safetensors").is_file()  # the next run starts clean


def test_timeout_and_unreachable_hub_are_one_line(hub, monkeypatch) -> None:
    hub.repos[UDEVER].stall_seconds = 1.0
    monkeypatch.setenv("HF_HUB_DOWNLOAD_TIMEOUT", "0.2")
    monkeypatch.setattr("codesearch.models.hub.RETRIES", 1)
    assert "did not answer in time" in _one_line_error("udever-560m")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: nothing listens
    message = _one_line_error("udever-1b1")
    assert "cannot reach http://127.0.0.1:9" in message


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs: a real full disk (needs root; skipped where mounting is impossible)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)  # lazy: a memory map may still hold a file


def test_full_disk_is_one_line_before_and_during_the_download(hub, small_disk, monkeypatch) -> None:
    monkeypatch.setenv("CODESEARCH_CACHE_DIR", str(small_disk))
    before = _one_line_error("udever-560m")
    assert "more disk" in before and "XDG_CACHE_HOME" in before and not hub.gets("pytorch_model.bin")
    hub.repos[UDEVER].report_sizes = False  # the listing has no sizes: no check before, the disk fills later
    converting = _one_line_error("udever-560m")  # the .bin fits, its safetensors copy does not
    assert "disk is full while converting" in converting and hub.gets("pytorch_model.bin")
    gc.collect()  # the failed conversion's memory map of the .bin (held by its traceback) lets go of it
    shutil.rmtree(small_disk / "models")
    (small_disk / "filler").write_bytes(b"\0" * (shutil.disk_usage(small_disk).free - 300 * 1024))
    downloading = _one_line_error("udever-560m")  # now the .bin itself does not fit
    assert "disk is full while writing" in downloading and "resumes" in downloading


def test_model_download_and_list_commands(hub) -> None:
    out = _invoke("model", "download").output
    assert "bigscience-bloom-rail-1.0" in out and UDEVER in out
    listing = _invoke("model", "list").output
    assert UDEVER in listing and "bigscience-bloom-rail-1.0" in listing and "MB" in listing
    assert hub.gets("pytorch_model.bin") == [None]
    _invoke("model", "download")  # already there: nothing fetched again
    assert hub.gets("pytorch_model.bin") == [None]


def test_offline_and_not_cached_asks_nothing(hub, monkeypatch) -> None:
    _offline(monkeypatch)
    message = _one_line_error("udever-560m")
    assert "HF_HUB_OFFLINE is set" in message and "codesearch model download" in message
    assert hub.requests() == 0


def test_progress_display_says_the_licence_and_draws_a_bar(hub, capsys) -> None:
    from codesearch.cli.progress import download_progress

    lines: list[str] = []
    events = []
    with download_progress(enabled=True, say=lines.append) as update:
        def record(event):
            events.append(event)
            update(event)

        resolve_model("udever-560m", record)
    phases = [e.phase for e in events]
    assert phases[0] == "start" and "bytes" in phases and phases[-2:] == ["done", "convert"]
    assert events[-2].bytes_done == events[0].bytes_total  # every byte of the plan arrived
    assert "downloading izhx/udever-bloom-560m" in lines[0] and "bigscience-bloom-rail-1.0" in lines[0]
    assert "https://huggingface.co/spaces/bigscience/license" in lines[0] and "converting" in lines[1]


def test_plain_index_with_an_unreachable_hub_says_what_works_offline(hub, sample_repo, monkeypatch) -> None:
    """Issue 25: a fresh repository, the default model, no hub: the one line names `--model minilm` and how to
    get udever, and leaves no empty index folder behind."""
    from tests.conftest import cli_run

    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: nothing listens
    monkeypatch.setattr("codesearch.models.hub.RETRIES", 1)
    done = cli_run("index", cwd=sample_repo)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    for needed in ("cannot reach http://127.0.0.1:9", "--model minilm", "codesearch model download udever-560m",
                   "HF_TOKEN", "izhx--udever-bloom-560m"):
        assert needed in done.stderr, needed
    assert not (sample_repo / ".codesearch").exists()
