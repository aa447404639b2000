"""The `codesearch` command: a thin layer of arguments and output over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .config import Config
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
            from .tui_launch import launch

            launch(Path.cwd(), _config())
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
def model_download(name: str | None) -> None:
    """Fetch a model's weights into the Hugging Face cache (needs the hub)."""
    import os

    from .config import DEFAULT_MODEL
    from .models import resolve_model

    os.environ.pop("HF_HUB_OFFLINE", None)
    resolved = resolve_model(name or _config().model or DEFAULT_MODEL)
    click.echo(f"ready: {resolved.model_id} at {resolved.path}")


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
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a one-line error
        if _State.debug:
            raise
        click.echo(f"codesearch: unexpected error: {type(exc).__name__}: {exc} (rerun with --debug for details)", err=True)
        sys.exit(1)
