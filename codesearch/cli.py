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
