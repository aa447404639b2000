"""The parser and indexer on hostile input: thousands of generated sources, fixed seed, no crash."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.sync.indexer import Indexer
from codesearch.parse.parsing import parse_source
from codesearch.store.folder import Store
from codesearch.languages import BY_EXTENSION, LANGUAGES, language_for

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED = 20261201
NESTING = {"python": ("def f():\n" + " ", "\n"), "go": ("func f() {", "}"), "ruby": ("def f\n", "\nend"),
           "java": ("class A { void f() {", "}}"), "javascript": ("function f() {", "}"), "php": ("<?php function f() {", "}")}
BRACES = ("function f() {", "}")


def _samples() -> list[bytes]:
    return [p.read_bytes() for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.suffix in BY_EXTENSION]


def _generate(rng: random.Random, samples: list[bytes], language: str) -> bytes:
    kind = rng.randrange(6)
    if kind == 0:
        return rng.randbytes(rng.randint(0, 2000))
    base = bytearray(rng.choice(samples))
    if kind == 1:  # byte flips, NULs, invalid UTF-8 sequences spliced in
        for _ in range(rng.randint(1, 30)):
            i = rng.randrange(len(base) + 1)
            base[i:i] = rng.choice([b"\x00", b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", rng.randbytes(3)])
        return bytes(base)
    if kind == 2:  # truncated anywhere
        return bytes(base[: rng.randrange(len(base) + 1)])
    if kind == 3:  # spliced halves of two files
        other = rng.choice(samples)
        return bytes(base[: rng.randrange(len(base) + 1)] + other[rng.randrange(len(other) + 1):])
    if kind == 4:  # deep nesting
        opener, closer = NESTING.get(language, BRACES)  # a language without its own: C-style braces
        depth = rng.choice([20, 100, 300])
        return (opener * depth + closer * rng.randint(0, depth)).encode()
    return bytes(rng.choice([b"(", b"[", b"{", b"'", b'"', b"/*", b"<?php", b"\n", b"\\"]) * rng.randint(1, 2000))


def test_parser_survives_thousands_of_generated_sources() -> None:
    rng, samples = random.Random(SEED), _samples()
    parsed = 0
    for i in range(3000):
        language = LANGUAGES[i % len(LANGUAGES)]
        for unit in parse_source(_generate(rng, samples, language), language, f"f{i}"):
            assert unit.start_line <= unit.end_line and isinstance(unit.code, str)
        parsed += 1
    assert parsed == 3000


@pytest.mark.parametrize("language", ["python", "javascript"])
def test_parser_survives_extremes(language: str) -> None:
    opener, closer = NESTING[language]
    units: list = []
    worker = threading.Thread(target=lambda: units.extend(parse_source((opener * 10_000 + closer * 10_000).encode(),
                                                                        language, "deep")), daemon=True)
    worker.start()  # 10k-deep nesting: a cubic walk would never finish, so it fails instead of hanging
    worker.join(10)
    assert not worker.is_alive() and units
    if language == "javascript":  # the largest file the indexer parses (1 MiB) as one line
        parse_source(b"var x = 1; " * (1024 * 1024 // 11), language, "long")


ODD_NAMES = ["with space.py", "ünïcödé.py", "-leading-dash.py", "new\nline.py", "tab\there.py", "quote'\".py",
             "back\\slash.py", "\x1b[31mred.py", "semi;colon.js", "a" * 200 + ".py", "$(touch pwned).rb", "*.go"]


def test_indexer_survives_odd_files_and_names(tmp_path: Path, tiny_embedder) -> None:
    root = tmp_path / "odd"
    root.mkdir()
    rng, samples = random.Random(SEED), _samples()
    for i, name in enumerate(ODD_NAMES):
        language = language_for(name)
        body = f"def odd_{i}():\n    return {i}\n".encode() if language == "python" else _generate(rng, samples, language)
        (root / name).write_bytes(body)
    (root / "nul.py").write_bytes(b"def a():\n    return '\x00'\n")
    (root / "bad.py").write_bytes(b"def b():\n    return '\xff\xfe'\n")
    (root / "big.js").write_bytes(b"var x = 1; " * 80_000)  # under the size limit, one line
    (root / "huge.py").write_bytes(b"x = 1; " * (10 * 1024 * 1024 // 7))  # a 10 MB single line: skipped
    store = Store.create(root, Config())
    with store.lock:
        report = Indexer(store, tiny_embedder).sync()
    names = {r[0] for r in store.catalog.db.execute("SELECT path FROM files")}
    assert {"with space.py", "new\nline.py", "\x1b[31mred.py", "$(touch pwned).rb"} <= names
    assert store.vectors().labels == set(store.catalog.function_ids()) and report.functions_total >= 3
    assert not (root / "pwned").exists() and "huge.py" not in names and report.skipped
    store.close()
