"""The `codesearch` command: a thin layer of arguments and output over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .config import Config
from .search import DEFAULT_MODE
from .errors import CodesearchError


class _State:
    debug = False


def _config(**overrides: object) -> Config:
    return Config.from_env(**overrides)


@click.group(invoke_without_command=True)
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="codesearch")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Search a repository's functions by meaning, in any natural language."""
    _State.debug = debug
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            from .tui.app import run_app

            run_app(Path.cwd(), _config())
        else:
            click.echo(ctx.get_help())


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of units.")
@click.option("--max-file-bytes", type=int, default=None, help="Skip files larger than this.")
def chunks(paths: tuple[Path, ...], as_json: bool, max_file_bytes: int | None) -> None:
    """Print the functions and methods found in files or directories."""
    from .sources import units_under
    from .walk import WalkStats

    cfg = _config(max_file_bytes=max_file_bytes)
    stats = WalkStats()
    units = units_under(list(paths) or [Path(".")], cfg.max_file_bytes, stats)
    if as_json:
        click.echo(json.dumps([u.to_dict() for u in units], ensure_ascii=False, indent=1))
    else:
        for u in units:
            doc = u.docstring.split("\n", 1)[0]
            click.echo(f"{u.path}:{u.start_line}-{u.end_line}  {u.kind:<11} {u.qualified_name}" + (f"  — {doc}" if doc else ""))
    if stats.skipped:
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(stats.skipped.items()))
        click.echo(f"skipped: {skipped}", err=True)


def _model_options(fn):
    """Flags shared by every command that loads a model."""
    fn = click.option("--quantize", type=click.Choice(["int8"]), default=None, envvar="CODESEARCH_QUANTIZE",
                      help="Dynamic int8 quantisation on CPU (faster, cosine ~0.998 to fp32).")(fn)
    fn = click.option("--device", default=None, envvar="CODESEARCH_DEVICE", help="cuda, mps or cpu (default: best available).")(fn)
    fn = click.option("--model", "-m", default=None, envvar="CODESEARCH_MODEL",
                      help="udever-560m (default), udever-1b1, udever-3b, udever-7b1, minilm, a hub id, or a folder.")(fn)
    return fn


@cli.command()
@click.argument("texts", nargs=-1, required=True)
@click.option("--query", "kind", flag_value="query", default=True, help="Embed as search queries (default).")
@click.option("--document", "kind", flag_value="document", help="Embed as code documents.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of vectors.")
@_model_options
def embed(texts: tuple[str, ...], kind: str, as_json: bool, model: str | None, device: str | None, quantize: str | None) -> None:
    """Print the unit-length embedding of each TEXT."""
    from .config import DEFAULT_MODEL
    from .embedding import load_embedder

    cfg = _config(model=model, device=device, quantize=quantize)
    embedder = load_embedder(cfg.model or DEFAULT_MODEL, cfg.device, cfg.batch_tokens, cfg.max_length, cfg.quantize)
    click.echo(f"model: {embedder.model_id} ({embedder.dim} dims)", err=True)
    vecs = embedder.embed_queries(list(texts)) if kind == "query" else embedder.embed_documents(list(texts))
    if as_json:
        click.echo(json.dumps([[round(float(x), 7) for x in v] for v in vecs]))
    else:
        for text, v in zip(texts, vecs):
            head = " ".join(f"{x:+.4f}" for x in v[:6])
            click.echo(f"{text[:40]!r}: [{head} ...] ({len(v)} dims)")


@cli.group()
def model() -> None:
    """Inspect or fetch embedding models."""


@model.command("show")
@click.argument("name", required=False)
def model_show(name: str | None) -> None:
    """Say which weights NAME resolves to (offline-first)."""
    from .config import DEFAULT_MODEL
    from .models import resolve_model

    resolved = resolve_model(name or _config().model or DEFAULT_MODEL)
    click.echo(f"model: {resolved.model_id}\nbackend: {resolved.backend}\npath: {resolved.path}")


@model.command("download")
@click.argument("name", required=False)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def model_download(name: str | None, quiet: bool) -> None:
    """Fetch a model ahead of time (resumable), converting a torch checkpoint to safetensors."""
    from .config import DEFAULT_MODEL
    from .model_cache import read_manifest
    from .models import offline, resolve_model

    if offline():
        raise CodesearchError("HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) is set: unset it to download a model")
    with _download_display(quiet) as on_download:
        resolved = resolve_model(name or _config().model or DEFAULT_MODEL, on_download)
    manifest = read_manifest(resolved.path)
    licence = manifest.licence if manifest else None
    click.echo(f"ready: {resolved.model_id} at {resolved.path}" + (f" (licence: {licence})" if licence else ""))


@model.command("list")
def model_list() -> None:
    """Show the models in codesearch's cache: id, size on disk, licence, where."""
    from .model_cache import cached_models, folder_bytes, models_dir

    found = cached_models()
    if not found:
        click.echo(f"no models in {models_dir()} (models in the Hugging Face cache are used from there)")
    for folder, manifest in found:
        note = f", converted from {manifest.converted_from}" if manifest.converted_from else ""
        click.echo(f"{manifest.model_id:<32} {folder_bytes(folder) / 1e6:>9.1f} MB  "
                   f"licence {manifest.licence or 'unknown'}  {folder}{note}")


def _say_precision(embedder) -> None:
    """Say when memory made the model load in another precision than asked."""
    note = getattr(getattr(embedder, "precision", None), "note", None)
    if note:
        click.echo(f"note: {note}", err=True)


def _download_display(quiet: bool):
    """A download progress bar on a terminal, and the licence line, for commands that may download."""
    from .progress import download_progress

    return download_progress(enabled=not quiet and sys.stderr.isatty(), say=lambda m: click.echo(m, err=True))


def _index_options(fn):
    fn = click.option("--index-dir", default=None, envvar="CODESEARCH_INDEX_DIR",
                      help="Where the index lives (default: <root>/.codesearch).")(fn)
    return fn


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@_model_options
@_index_options
@click.option("--rebuild", is_flag=True, help="Forget the index and build it again (needed to change model).")
@click.option("--max-file-bytes", type=int, default=None, help="Skip files larger than this (default 1 MiB).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with what was done.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def index(path: Path | None, model: str | None, device: str | None, quantize: str | None, index_dir: str | None,
          rebuild: bool, max_file_bytes: int | None, as_json: bool, quiet: bool) -> None:
    """Index a repository (incremental: only what changed is parsed and embedded)."""
    from .config import DEFAULT_MODEL
    from .embedding import load_embedder
    from .indexer import Indexer
    from .models import model_id_of
    from .progress import sync_progress
    from .store import Store, default_root

    cfg = _config(model=model, device=device, quantize=quantize, index_dir=index_dir, max_file_bytes=max_file_bytes)
    root = path.resolve() if path else default_root(Path.cwd(), cfg)
    store = Store.create(root, cfg, rebuild=rebuild)
    try:
        with store.lock:
            if rebuild:
                store.reset()
            name = cfg.model or store.model_id or DEFAULT_MODEL
            if store.model_id and model_id_of(name) != store.model_id:
                store.check_model(model_id_of(name), 0)  # the mismatch error, before loading any weights
            with _download_display(quiet or as_json) as on_download:
                embedder = load_embedder(name, cfg.device, cfg.batch_tokens, cfg.max_length, cfg.quantize, on_download)
            click.echo(f"indexing {root} with {embedder.model_id}", err=True)
            _say_precision(embedder)
            with sync_progress(enabled=not quiet and not as_json and sys.stderr.isatty()) as progress:
                report = Indexer(store, embedder, progress).sync()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(report.to_dict()))
    else:
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(report.skipped.items()))
        click.echo(f"{report.files_scanned} files scanned, {report.files_changed} changed, {report.files_removed} removed; "
                   f"{report.functions_total} functions ({report.functions_embedded} embedded, "
                   f"{report.functions_removed} removed) in {report.seconds:.1f}s" + (f"; skipped {skipped}" if skipped else ""))
    for err in report.errors[:20]:
        click.echo(f"warning: {err}", err=True)


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@_index_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def status(path: Path | None, index_dir: str | None, as_json: bool) -> None:
    """Show what the index holds and how fresh it is."""
    import datetime

    from .status import status as index_status
    from .store import Store

    store = Store.open(path or Path.cwd(), _config(index_dir=index_dir))
    try:
        info = index_status(store)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(info))
        return
    when = datetime.datetime.fromtimestamp(info["updated_at"]).strftime("%Y-%m-%d %H:%M:%S") if info["updated_at"] else "never"
    watch = (f"running (pid {info['watcher_pid']}, last sync "
             + (datetime.datetime.fromtimestamp(info["last_sync"]).strftime("%H:%M:%S") if info["last_sync"] else "pending")
             + ")") if info["watcher"] else "not running"
    click.echo(f"root:        {info['root']}\nindex:       {info['index_dir']}\nmodel:       {info['model']} ({info['dim']} dims)\n"
               f"files:       {info['files']}\nfunctions:   {info['functions']}\nindex size:  {info['index_bytes'] / 1e6:.1f} MB\n"
               f"updated:     {when}\nstale files: {info['stale_files']}\nwatcher:     {watch}")


@cli.command()
@click.argument("text")
@click.option("-k", "--limit", "k", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many results.")
@click.option("--lang", "langs", default=None, help="Only these languages, comma-separated (go,python,...).")
@click.option("--path", "path_glob", default=None, help="Only paths matching this gitignore-style glob.")
@click.option("--mode", type=click.Choice(["hybrid", "semantic", "lexical"]), default=None,
              help="Ranking (default: hybrid, chosen on the CodeSearchNet benchmark).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of results.")
@click.option("--vimgrep", is_flag=True, help="Print path:line:col:text lines for an editor's quickfix list.")
@click.option("--explain", is_flag=True, help="Show each result's semantic score and rank and lexical rank.")
@click.option("--no-server", is_flag=True, help="Search in this process even if a server is running.")
@_model_options
@_index_options
def query(text: str, k: int, langs: str | None, path_glob: str | None, mode: str | None, as_json: bool, vimgrep: bool,
          explain: bool, no_server: bool, model: str | None, device: str | None, quantize: str | None,
          index_dir: str | None) -> None:
    """Find the functions that do what TEXT says (any natural language)."""
    from .output import print_hits
    from .querying import run_query
    from .walk import LANGUAGES

    languages = [x.strip().lower() for x in langs.split(",") if x.strip()] if langs else None
    for lang in languages or []:
        if lang not in LANGUAGES:
            raise click.BadParameter(f"unknown language {lang!r}; choose from {', '.join(LANGUAGES)}", param_hint="--lang")
    cfg = _config(model=model, device=device, quantize=quantize, index_dir=index_dir)
    root, hits = run_query(Path.cwd(), cfg, text, k, languages, path_glob, mode or DEFAULT_MODE,
                           use_server=not no_server)
    print_hits(hits, root, as_json=as_json, vimgrep=vimgrep, explain=explain)


def _sync_line(report) -> str:
    what = ", ".join(report.changed_paths[:3]) + (f" (+{len(report.changed_paths) - 3} more)" if len(report.changed_paths) > 3 else "")
    return (f"synced {report.files_changed} changed, {report.files_removed} removed file(s){': ' + what if what else ''}; "
            f"{report.functions_embedded} embedded, {report.functions_removed} removed, {report.functions_total} total "
            f"in {report.seconds:.2f}s")


def _open_for_writing(path: Path | None, cfg: Config):
    """Store and embedder for a long-running writer (watch, serve): creates the index if needed."""
    from .session import open_store_and_model
    from .store import default_root

    return open_store_and_model(path.resolve() if path else default_root(Path.cwd(), cfg), cfg)


def _wait_for_signal() -> None:
    """Block until SIGINT or SIGTERM."""
    import signal
    import threading

    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    while not done.wait(0.5):
        pass


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@_model_options
@_index_options
@click.option("-q", "--quiet", is_flag=True, help="No line per sync.")
def watch(path: Path | None, model: str | None, device: str | None, quantize: str | None, index_dir: str | None,
          quiet: bool) -> None:
    """Sync once, then keep the index current as files change (Ctrl-C to stop)."""
    from .watch import Watcher

    cfg = _config(model=model, device=device, quantize=quantize, index_dir=index_dir)
    store, embedder = _open_for_writing(path, cfg)
    say = (lambda m: None) if quiet else (lambda m: click.echo(m, err=True))
    watcher = Watcher(store, embedder, on_sync=lambda r: say(_sync_line(r)),
                      on_error=lambda m: click.echo(f"codesearch watch: {m}", err=True))
    say(f"watching {store.root} with {embedder.model_id}")
    watcher.start()
    try:
        _wait_for_signal()
    finally:
        watcher.stop()
        store.close()
    say("stopped")


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@_model_options
@_index_options
@click.option("--no-watch", is_flag=True, help="Do not keep the index current while serving.")
@click.option("--port", type=int, default=None, help="Also listen on this TCP port, on 127.0.0.1 only.")
@click.option("--exact-queries", is_flag=True, default=None, envvar="CODESEARCH_EXACT_QUERIES",
              help="Embed queries with the fp32 model too (slower; default: an int8 copy on CPU).")
@click.option("-q", "--quiet", is_flag=True, help="No line per sync.")
def serve(path: Path | None, model: str | None, device: str | None, quantize: str | None, index_dir: str | None,
          no_watch: bool, port: int | None, exact_queries: bool | None, quiet: bool) -> None:
    """Keep the model and index warm and answer queries over a Unix socket (editors use it)."""
    from .errors import IndexLockedError
    from .search import Searcher
    from .server import SearchServer
    from .store import Store
    from .watch import Watcher

    cfg = _config(model=model, device=device, quantize=quantize, index_dir=index_dir, exact_queries=exact_queries)
    store, embedder = _open_for_writing(path, cfg)
    say = (lambda m: None) if quiet else (lambda m: click.echo(m, err=True))
    if not cfg.exact_queries and embedder.fast_queries():
        say("queries are embedded with an int8 copy of the model (--exact-queries to turn off)")
    watcher = None
    if not no_watch:
        writer_store = Store.create(store.root, cfg)
        watcher = Watcher(writer_store, embedder, on_sync=lambda r: say(_sync_line(r)),
                          on_error=lambda m: click.echo(f"codesearch serve: {m}", err=True))
        try:
            watcher.start()
        except IndexLockedError as exc:
            click.echo(f"codesearch serve: not watching: {exc}", err=True)
            watcher = None
    server = SearchServer(store, Searcher(store, embedder), port)
    try:
        server.serve_forever(ready=lambda where: say(f"serving {store.root} ({embedder.model_id}) on {where}"))
    except KeyboardInterrupt:
        pass
    finally:
        if watcher is not None:
            watcher.stop()
        store.close()
    say("stopped")


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@_model_options
@_index_options
def tui(path: Path | None, model: str | None, device: str | None, quantize: str | None, index_dir: str | None) -> None:
    """Open the terminal UI in the repository that contains PATH."""
    from .tui.app import run_app

    run_app(path or Path.cwd(), _config(model=model, device=device, quantize=quantize, index_dir=index_dir))


def main() -> None:
    """Entry point: run the CLI, turning library errors into one line and an exit code."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except CodesearchError as exc:
        if _State.debug:
            raise
        click.echo(f"codesearch: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # `codesearch query ... | head`: the reader left, which is fine
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a one-line error
        if _State.debug:
            raise
        click.echo(f"codesearch: unexpected error: {type(exc).__name__}: {exc} (rerun with --debug for details)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
