"""Real functions to measure on: parsed from a source tree (default: the Python standard library)."""

from __future__ import annotations

import random
import sysconfig
from pathlib import Path

from codesearch.parse.documents import document_text
from codesearch.parse.sources import read_units
from codesearch.parse.walk import walk

CACHE = Path(__file__).parent / ".cache"


def real_functions(n: int, root: str | None = None, seed: int = 0) -> list[str]:
    """Document texts of n functions sampled at random from a real tree."""
    base = Path(root or sysconfig.get_paths()["stdlib"])
    units = []
    for f in walk(base):
        if f.rel.startswith(("site-packages/", "test/", "idlelib/")):
            continue
        try:
            units.extend(read_units(f.path, f.rel, f.language))
        except OSError:
            continue
        if len(units) > 20 * n:
            break
    rng = random.Random(seed)
    return [document_text(u) for u in rng.sample(units, min(n, len(units)))]


def bloom_folder(shape: str) -> Path:
    """A random-weight BLOOM of the real shape and vocabulary, built once and cached."""
    from codesearch.models.random_models import BLOOM_VOCAB, build_random_udever

    folder = CACHE / f"random-bloom-{shape}"
    if not (folder / "model.safetensors").exists():
        corpus = real_functions(3000, seed=1)
        build_random_udever(folder, shape, corpus, tokenizer_vocab=32000, model_vocab=BLOOM_VOCAB)
    return folder
