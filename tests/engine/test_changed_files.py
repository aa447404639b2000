"""A result from a file changed on disk since it was indexed says so (fault sweep 2: a query on a stale index named
line 16 for a function three lines further down, and printed its old code, with no word)."""

from __future__ import annotations

import os
from pathlib import Path

from codesearch.config import Config
from codesearch.engine import Index
from codesearch.query import Query

from conftest import cli_run

BILLING = ('def charge_card(card, amount):\n    """Charge a credit card."""\n    return card.charge(amount)\n\n\n'
           "def refund(card, amount):\n    return card.refund(amount)\n")


def test_a_result_from_a_file_changed_since_indexed_says_so(tmp_path: Path, tiny_bloom: Path, tiny_embedder) -> None:
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "src" / "billing.py").write_text(BILLING)
    (root / "src" / "mail.py").write_text("def send_mail(to, body):\n    return to, body\n")
    cfg = Config(model=str(tiny_bloom))
    with Index.create(root, cfg, embedder=tiny_embedder) as index:
        index.sync()
    fresh = cli_run("query", "charge_card", "-k", "1", "--mode", "lexical", cwd=root)
    assert fresh.returncode == 0 and "changed since indexed" not in fresh.stderr, fresh.stderr
    os.utime(root / "src" / "billing.py", (1, 1))  # a checkout and back, `touch`: its stat moved, not a line (review)
    (root / "src" / "billing.py").write_text(BILLING)
    touched = cli_run("query", "charge_card", "-k", "1", "--mode", "lexical", cwd=root)
    assert "changed since indexed" not in touched.stderr, touched.stderr
    (root / "src" / "billing.py").write_text("# a\n# b\n# c\n" + BILLING)
    stale = cli_run("query", "charge_card", "-k", "1", "--mode", "lexical", cwd=root)
    assert stale.returncode == 0 and "src/billing.py:1" in stale.stdout
    notes = [line for line in stale.stderr.splitlines() if "changed since indexed" in line]
    assert len(notes) == 1 and "src/billing.py" in notes[0] and "codesearch index" in notes[0], stale.stderr
    with Index.open(root, cfg, embedder=tiny_embedder) as index:
        answer = index.ask(Query("charge_card", k=2, mode="lexical"))
        mail = index.ask(Query("send_mail", k=1, mode="lexical"))
        like = index.changed_note([index.function(root / "src" / "billing.py", 2)])
    assert "src/billing.py" in answer.note and answer.hits[0].signals.get("file_changed") is True
    assert mail.note is None and not mail.hits[0].signals.get("file_changed")  # an unchanged file's result says nothing
    assert like is not None and "src/billing.py" in like
    (root / "src" / "billing.py").unlink()
    gone = cli_run("query", "charge_card", "-k", "1", "--mode", "lexical", cwd=root)
    assert "src/billing.py changed since indexed" in gone.stderr
