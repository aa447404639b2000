"""Walking a repository: ignore files at every level, binary, huge, unreadable, symlinks."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from codesearch.parse.walk import SourceFile, WalkStats, source_file, walk


def _rels(root: Path, **kw) -> list[str]:
    return [f.rel for f in walk(root, **kw)]


def test_gitignore_at_every_level_and_negation(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b").mkdir()
    (tmp_path / ".gitignore").write_text("*.gen.py\nbuild/\n")
    (tmp_path / "a" / ".gitignore").write_text("secret.py\n!keep.gen.py\n")
    (tmp_path / "a" / "b" / ".gitignore").write_text("/local.go\n")
    for rel in ["x.py", "y.gen.py", "build/z.py", "a/secret.py", "a/keep.gen.py", "a/ok.rb",
                "a/b/local.go", "a/b/deep.go", "a/b/c/local.go", "notes.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x\n")
    assert _rels(tmp_path) == ["x.py", "a/keep.gen.py", "a/ok.rb", "a/b/deep.go", "a/b/c/local.go"]


def test_info_exclude_codesearchignore_and_index_dir(tmp_path: Path) -> None:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("excluded.py\n")
    (tmp_path / ".git" / "hook.py").write_text("x\n")
    (tmp_path / ".codesearchignore").write_text("generated/\n")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "g.py").write_text("x\n")
    (tmp_path / ".codesearch").mkdir()
    (tmp_path / ".codesearch" / "i.py").write_text("x\n")
    (tmp_path / "excluded.py").write_text("x\n")
    (tmp_path / "kept.py").write_text("x\n")
    assert _rels(tmp_path) == ["kept.py"]
    assert source_file(tmp_path, "generated/g.py") == "ignored"
    assert source_file(tmp_path, "kept.py").rel == "kept.py"


def _files(root: Path, rels: list[str]) -> None:
    for rel in rels:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x = 1\n")


def test_installed_dependencies_and_environments_are_not_the_repository(tmp_path: Path) -> None:
    # a project with no .gitignore: its virtualenv (any name), node_modules, caches; CPython's own Lib/venv is code
    _files(tmp_path, ["app/main.py", "web/index.js", "Lib/venv/__init__.py",
                      ".venv/bin/activate_this.py", ".venv/lib/python3.12/site-packages/requests/api.py",
                      "env/lib/python3.12/site-packages/flask/app.py", "env/bin/helper.py", "conda/bin/tool.py",
                      "web/node_modules/lodash/chunk.js", "app/__pycache__/main.py", ".tox/py312/lib/t.py",
                      "vendor/lib/site-packages/x.py", "site/.next/server/app.js",
                      ".pc/01-system-certs.patch/app/main.py",
                      # Sphinx's built site in an sdist (huey: 1204 of 2204 units, two jQuery copies: probe 262)
                      "docs/_build/html/_static/doctools.js", "doc/_build/latex/helper.py",
                      "_build/html/_static/searchtools.js"])
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "conda" / "conda-meta").mkdir()
    stats = WalkStats()
    assert _rels(tmp_path, stats=stats) == ["Lib/venv/__init__.py", "app/main.py", "web/index.js"]
    assert stats.skipped["Python environment"] == 3 and stats.problems == []
    # one file at a time (the watcher, `index PATH`) by the same rules
    assert source_file(tmp_path, "env/bin/helper.py") == "ignored"
    assert source_file(tmp_path, "web/node_modules/lodash/chunk.js") == "ignored"
    assert source_file(tmp_path, ".pc/01-system-certs.patch/app/main.py") == "ignored"
    assert source_file(tmp_path, "Lib/venv/__init__.py").rel == "Lib/venv/__init__.py"
    # a folder that becomes an environment while a watcher holds the rules (`python -m venv late`) is one at once
    from codesearch.parse.walk import IgnoreRules

    rules = IgnoreRules(tmp_path)
    _files(tmp_path, ["late/lib/mod.py"])
    assert not rules.is_ignored("late", is_dir=True)
    (tmp_path / "late" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    assert rules.is_ignored("late", is_dir=True)
    # the repository's own ignore files come after the defaults: a user can search the dependencies again
    (tmp_path / ".codesearchignore").write_text("!node_modules/\n")
    assert "web/node_modules/lodash/chunk.js" in _rels(tmp_path)


def test_languages_by_extension(tmp_path: Path) -> None:
    from codesearch.languages import SPECS

    expected = {f"{spec.name}{i}{ext.upper() if i else ext}": spec.name
                for spec in SPECS for i, ext in enumerate(spec.extensions)}
    for n in [*expected, "l.c", "m.txt", "Makefile"]:
        (tmp_path / n).write_text("x\n")
    langs = {f.rel: f.language for f in walk(tmp_path)}
    assert langs == expected and {"go0.go", "python1.PYI", "javascript0.js"} <= set(langs)


def test_a_command_without_an_extension_is_read_by_its_shebang_line(tmp_path: Path) -> None:
    """httparty's bin/httparty (`#!/usr/bin/env ruby`) is the whole command-line tool, and was never read; only a
    folder of commands or the top is looked into, and a FIFO there is never opened for reading (the walk would hang)."""
    for folder in ("bin", "exe", "scripts", "lib"):
        (tmp_path / folder).mkdir()
    (tmp_path / "bin" / "httparty").write_text("#!/usr/bin/env ruby\nputs 1\n")
    (tmp_path / "exe" / "serve").write_text("#!/usr/bin/env -S node --no-warnings\nconsole.log(1)\n")
    (tmp_path / "scripts" / "release").write_text("#!/usr/bin/python3.11\nprint(1)\n")
    (tmp_path / "bin" / "setup").write_text("#!/bin/bash\necho 1\n")
    (tmp_path / "bin" / "README").write_text("commands\n")
    (tmp_path / "lib" / "tool").write_text("#!/usr/bin/env ruby\nputs 1\n")  # not a folder of commands
    (tmp_path / "artisan").write_text("#!/usr/bin/env php\n<?php\nrun();\n")  # but the top is (Laravel's: probe 197)
    (tmp_path / "LICENSE").write_text("MIT\n")
    os.mkfifo(tmp_path / "bin" / "pipe")
    outside = tmp_path.parent / f"{tmp_path.name}-secret"
    outside.write_text("#!/usr/bin/env ruby\nSECRET = 1\n")
    (tmp_path / "bin" / "leak").symlink_to(outside)  # read only once it is judged: a link out is never read
    langs = {f.rel: f.language for f in walk(tmp_path)}
    assert langs == {"bin/httparty": "ruby", "exe/serve": "javascript", "scripts/release": "python", "artisan": "php"}
    assert isinstance(source_file(tmp_path, "artisan"), SourceFile)
    assert isinstance(source_file(tmp_path, "bin/httparty"), SourceFile) and source_file(tmp_path, "bin/setup") == "not a source file"


def test_a_large_file_written_by_hand_is_read_and_a_large_bundle_is_named(tmp_path: Path) -> None:
    """picocli's whole library is one 1.2 MB CommandLine.java: over the 1 MiB limit it was skipped, "skipped 1 too
    large" naming nothing. A file written by hand is read up to 4 times the limit; a bundle, a generated file or a
    larger one is left out and named."""
    lines = "".join(f"    // line {i} of a hand-written library, explaining at ordinary length\n" for i in range(250))
    (tmp_path / "CommandLine.java").write_text("public class CommandLine {\n" + lines + "}\n")  # ~17 KB
    (tmp_path / "bundle.js").write_text("var a=1;" * 2500 + "\n")  # one 20 KB line
    (tmp_path / "Gen.java").write_text("// Code generated by protoc. DO NOT EDIT.\n" + lines)
    # xml2js' 3.4 MB lib/xml2js.bc.js: `// Generated by js_of_ocaml` on its second line, 2,540 units (probe 145)
    (tmp_path / "ocaml.js").write_text("//# 1 \"xml2js.bc.js\"\n// Generated by js_of_ocaml\n" + lines)
    (tmp_path / "Huge.java").write_text("class Huge {\n" + lines * 4 + "}\n")  # over 4 times the limit
    # get-pip.py: a few lines of code, then megabytes of base85 in lines of 79: data, 600 module pieces embedded
    blob = base64.b64encode(bytes(range(256)) * 60).decode()
    (tmp_path / "get-pip.py").write_text("import sys\n\nDATA = b\"\"\"\n" + "\n".join(blob[i:i + 76] for i in range(0, len(blob), 76)) + '\n"""\n')
    (tmp_path / "fonts.js").write_bytes(("var F = '\r\n" + "\r\n".join(blob[i:i + 76] for i in range(0, len(blob), 76))).encode())
    stats = WalkStats()
    rels = [f.rel for f in walk(tmp_path, max_file_bytes=10_000, stats=stats)]
    assert rels == ["CommandLine.java"]
    assert sorted(stats.large) == ["Gen.java", "Huge.java", "bundle.js", "fonts.js", "get-pip.py", "ocaml.js"]
    assert stats.problems == []
    for i in range(60):  # many large files never crowd a real problem out of the list `status` names
        (tmp_path / f"big{i}.js").write_text("var a=1;" * 2500 + "\n")
    (tmp_path / "dangling.py").symlink_to(tmp_path / "missing.py")
    stats = WalkStats()
    list(walk(tmp_path, max_file_bytes=10_000, stats=stats))
    assert ("dangling.py", "dangling link") in stats.problems and len(stats.large) == 50
    assert isinstance(source_file(tmp_path, "CommandLine.java", 10_000), SourceFile)
    assert source_file(tmp_path, "bundle.js", 10_000) == "too large"


def test_binary_huge_and_unreadable_are_counted(tmp_path: Path) -> None:
    (tmp_path / "bin.py").write_bytes(b"abc\x00def")
    (tmp_path / "huge.js").write_text("x" * 2000)
    (tmp_path / "ok.py").write_text("def f():\n    pass\n")
    locked = tmp_path / "locked.py"
    locked.write_text("x\n")
    locked.chmod(0)
    stats = WalkStats()
    rels = _rels(tmp_path, max_file_bytes=1000, stats=stats)
    locked.chmod(0o644)
    if os.geteuid() == 0:  # root reads anything
        assert rels == ["locked.py", "ok.py"]
    else:
        assert rels == ["ok.py"] and stats.skipped["unreadable"] == 1
    assert stats.skipped["binary"] == 1 and stats.skipped["too large"] == 1
    # a UTF-16 file with its byte order mark is text, however many NUL bytes it holds (fault probe)
    (tmp_path / "wide.go").write_bytes("package m\n\nfunc F() {}\n".encode("utf-16"))
    assert "wide.go" in _rels(tmp_path, max_file_bytes=1000, stats=WalkStats())


def test_symlink_loops_and_dangling_links(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f.py").write_text("x\n")
    os.symlink(tmp_path, tmp_path / "d" / "loop")
    os.symlink(tmp_path / "missing.py", tmp_path / "dangling.py")
    stats = WalkStats()
    assert _rels(tmp_path, stats=stats) == ["d/f.py"]
    assert stats.skipped["dangling link"] == 1 and stats.skipped["symlink loop"] == 1
    assert ("d/loop", "symlink loop") in stats.problems


@pytest.mark.parametrize("rel", ["nope.py", "x.txt"])
def test_source_file_reasons(tmp_path: Path, rel: str) -> None:
    assert isinstance(source_file(tmp_path, rel), str)


def test_links_are_followed_only_inside_the_root(tmp_path: Path) -> None:
    """Issue 26.15: a file link to ~/.ssh/id_rsa was indexed; links out of the root are never followed."""
    home, root = tmp_path / "home", tmp_path / "repo"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n")
    (home / "lib").mkdir()
    (home / "lib" / "outside.py").write_text("def outside():\n    return 1\n")
    (root / "src").mkdir(parents=True)
    (root / "src" / "real.py").write_text("def real():\n    return 1\n")
    os.symlink(home / ".ssh" / "id_rsa", root / "key.py")  # a file link out of the root
    os.symlink(home / "lib", root / "vendored")  # a folder link out of the root
    os.symlink(root / "src" / "real.py", root / "alias.py")  # a file link inside: its target read under its own path
    os.symlink("src", root / "linked")  # a folder link inside, walked anyway under its own path
    (root / ".gitignore").write_text("build/\n")
    (root / "build").mkdir()
    (root / "build" / "gen.py").write_text("def gen():\n    return 1\n")
    os.symlink("build", root / "generated")  # a link inside to an ignored folder: followed
    os.symlink("build/gen.py", root / "gen_alias.py")  # a file link inside to an ignored file: followed
    stats = WalkStats()
    assert _rels(root, stats=stats) == ["gen_alias.py", "generated/gen.py", "src/real.py"]
    assert stats.skipped["link to a file indexed anyway"] == 1 and not any(rel == "alias.py" for rel, _ in stats.problems)
    assert stats.skipped["link outside the repository"] == 2
    assert {("key.py", "link outside the repository"), ("vendored", "link outside the repository")} <= set(stats.problems)
    assert source_file(root, "key.py") == "link outside the repository"
    assert source_file(root, "vendored/outside.py") == "link outside the repository"
    assert source_file(root, "alias.py") == "link to a file indexed anyway"  # a watcher event says the same
    assert source_file(root, "gen_alias.py").rel == "gen_alias.py"


def test_one_bad_entry_never_stops_the_walk(tmp_path: Path) -> None:
    """Issue 26.14: a non-UTF-8 name, ignore files linked to /dev/zero and /dev/urandom, a huge one,
    binary and invalid ignore lines: each is skipped, counted and named, and the walk goes on."""
    for d in ("zero", "random", "huge", "odd"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "kept.py").write_text("def kept():\n    return 1\n")
    os.symlink("/dev/zero", tmp_path / "zero" / ".gitignore")
    os.symlink("/dev/urandom", tmp_path / "random" / ".codesearchignore")
    (tmp_path / "huge" / ".gitignore").write_bytes(b"*.tmp\n" * 400_000)
    (tmp_path / "odd" / ".gitignore").write_bytes(b"\\\nbad\x00line\n\xff\xfe\n!\ngone.py\n")
    (tmp_path / "odd" / "gone.py").write_text("x = 1\n")
    (tmp_path / os.fsdecode(b"caf\xe9.py")).write_bytes(b"def cafe():\n    return 1\n")
    stats = WalkStats()
    files = list(walk(tmp_path, stats=stats))
    assert [f.rel for f in files] == ["caf\\xe9.py", "huge/kept.py", "odd/kept.py", "random/kept.py", "zero/kept.py"]
    assert files[0].path.read_bytes().startswith(b"def cafe")  # read by its bytes
    reasons = dict((rel, why) for rel, why in stats.problems)
    assert reasons["zero/.gitignore"] == "link outside the repository"
    assert reasons["random/.codesearchignore"] == "link outside the repository"
    assert reasons["huge/.gitignore"].startswith("ignore file larger than")
    assert stats.skipped["invalid ignore line"] == 2 and stats.skipped["binary ignore line"] == 2
    assert stats.skipped["ignored"] == 1  # odd/gone.py: the valid lines still apply


def test_a_link_is_read_in_its_targets_language(tmp_path: Path) -> None:
    """Fault sweep 2: `web/routes.js` made a link to `../src/billing.py` was read as JavaScript (a Python file's 32
    lines one module piece); a link's target names its language, the walk's and a watcher event's (source_file)."""
    (tmp_path / "vendor").mkdir()
    (tmp_path / "web").mkdir()
    (tmp_path / ".gitignore").write_text("vendor/\n")  # the target is not read under its own path: the link is
    (tmp_path / "vendor" / "billing.py").write_text("def charge(card):\n    return card\n")
    os.symlink("../vendor/billing.py", tmp_path / "web" / "routes.js")
    langs = {f.rel: f.language for f in walk(tmp_path)}
    assert langs == {"web/routes.js": "python"}
    linked = source_file(tmp_path, "web/routes.js")
    assert isinstance(linked, SourceFile) and linked.language == "python"
