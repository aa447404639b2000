"""The `codesearch` command: a thin layer of arguments and output over the library."""

from __future__ import annotations

import functools
import json
import re
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from codesearch.config import CHOICES, Config
from codesearch.errors import CodesearchError, UsageError
from codesearch.languages import unread_line
from codesearch.query import DEFAULT_MODE, SCORE_HELP
from codesearch.safetext import printable

if TYPE_CHECKING:
    from codesearch.query import Query
    from codesearch.serve.client import Answer


class _State:
    debug = False


def _config(**flags: object) -> Config:
    """The one place the CLI turns flags into settings (environment and defaults fill the rest)."""
    return Config.resolve(flags)


class _ReaderLeft(Exception):
    """The reader of our output left (`codesearch query ... | head`): no OSError, so click's own broken-pipe handler,
    which exits 1 (grep's "nothing matched"), never sees it (fault probe)."""


class _Group(click.Group):
    """The command group, a broken pipe in any command said as the reader leaving (_ReaderLeft)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise _ReaderLeft() from exc


_OPTION_SHAPED = re.compile(r"--?[A-Za-z][\w-]*(?:=.*)?", re.DOTALL)


class _TextCommand(click.Command):
    """A command whose words are a question or pasted code: a word that starts with `-` but is shaped like no option
    (`->setCode(Uuid::X)`, `--force flag`, `-1`) is text, as if after `--` (a PHP or Ruby chain pasted was "No such
    option: ->": probe 189); an unknown option-shaped word says how to search for it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" not in args:
            args = self._text_apart(args)
        typed_words = list(args)  # (click's parser takes args from the list it is given)
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:  # the word as typed (`--workers=2`), after the options, since all that
            # follows `--` is text (`--repo` put after it was searched for: probe 289)
            typed = next((a for a in typed_words if a.split("=", 1)[0] == exc.option_name), exc.option_name)
            raise click.UsageError(f"{exc.format_message()} (to search for text that starts with '-', put the options "
                                   f"first, then `--` and the text: codesearch {self.name} [OPTIONS] -- '{typed}')",
                                   ctx) from None

    def _text_apart(self, args: list[str]) -> list[str]:
        """args with the text words after a `--` when one of them starts with `-`; else as they are."""
        options = [p for p in self.params if isinstance(p, click.Option)]
        valued = {name for p in options if not p.is_flag and not p.count for name in p.opts + p.secondary_opts}
        flags, text, given = [], [], iter(args)
        for arg in given:
            if arg[:1] == "-" and _OPTION_SHAPED.fullmatch(arg):
                flags.append(arg)
                if arg in valued:
                    flags.append(next(given, None))
            else:
                text.append(arg)
        odd = any(word[:1] == "-" for word in text)
        return [f for f in flags if f is not None] + ["--", *text] if odd else args


@click.group(cls=_Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="codesearch")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Search a repository's code (functions, types, module code, blocks) by meaning, in any natural language."""
    _State.debug = debug
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            from codesearch.tui.app import run_app

            run_app(Path.cwd(), _config())
        else:
            click.echo(ctx.get_help())


def _repo_option(*aliases: str, multiple: bool = False, exists_dir: bool = True, help: str | None = None):
    """`--repo`: the one name of the repository option in every command; older spellings (aliases)
    still work, hidden from --help. The command receives `repo` (a tuple when multiple)."""
    kind = click.Path(exists=True, file_okay=not exists_dir, path_type=Path)
    text = help or "The repository (default: the one the working directory is in)."

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            repo = kwargs.pop("repo")
            for alias in aliases:
                given = kwargs.pop(_alias_dest(alias))
                if multiple:
                    repo = tuple(repo) + tuple(given)
                elif given is not None:
                    if repo is not None and repo != given:
                        raise click.UsageError(f"give the repository once: --repo {repo} or {alias} {given}")
                    repo = given
            return fn(*args, repo=repo, **kwargs)

        for alias in aliases:
            wrapper = click.option(alias, _alias_dest(alias), type=kind, multiple=multiple, hidden=True)(wrapper)
        return click.option("--repo", "repo", type=kind, multiple=multiple, metavar="REPO", help=text)(wrapper)
    return decorate


def _alias_dest(alias: str) -> str:
    return "repo_alias_" + alias.lstrip("-").replace("-", "_")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of units.")
@click.option("--max-file-bytes", type=int, default=None, help="Skip files larger than this.")
@_repo_option(help="The repository the PATHS are in (default: the working directory); alone, all of it.")
def chunks(paths: tuple[Path, ...], as_json: bool, max_file_bytes: int | None, repo: Path | None) -> None:
    """Print the searchable units (functions, methods, types, module code, blocks) found in files or directories."""
    from codesearch.parse.sources import units_under
    from codesearch.parse.walk import WalkStats

    if repo is not None:  # `chunks --repo R` as every other command takes it (no such option: probe 224's note)
        paths = tuple(p if p.is_absolute() or (p.exists() and not (repo / p).exists()) else repo / p
                      for p in paths) or (repo,)  # a path from here that is none of the repository's is taken as typed
    cfg = _config(max_file_bytes=max_file_bytes)
    stats = WalkStats()
    problems: list[str] = []
    units = units_under(list(paths) or [Path(".")], cfg.max_file_bytes, stats, problems if len(paths) > 1 else None,
                        repo)
    if as_json:
        click.echo(json.dumps([u.to_dict() for u in units], ensure_ascii=False, indent=1))
    else:
        for u in units:
            doc = printable(doc_summary(u.docstring))
            binds = f"  binds {', '.join(b[0] for b in u.binds[:8])}{' …' if len(u.binds) > 8 else ''}" if u.binds else ""
            click.echo(printable(f"{u.path}:{u.start_line}-{u.end_line}  {u.kind:<11} {u.qualified_name}{binds}")
                       + (f"  — {doc}" if doc else ""))
    if stats.skipped:
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(stats.skipped.items()))
        click.echo(f"skipped: {skipped}", err=True)
    if problems:  # the paths that could be shown were; each other one is said, and the exit status says so
        raise UsageError("; ".join(problems))


def doc_summary(docstring: str) -> str:
    """A doc's first line that says something, before its tags (not `@param callable $handler`, `{@inheritDoc}`, nor
    a multi-line `@see` tag's second line: commons-exec's `java.util.Map, ...ExecuteResultHandler)`)."""
    for line in docstring.split("\n"):
        line = _HTML_TAG.sub("", line).strip()  # javadoc's `<p>` alone said nothing (XOM's Serializer: probe 103)
        start = line[:1]
        if start == "@":
            return ""
        if start not in ("{", "", "=") or start == "=" and not re.match(r"=+\s", line):  # an RDoc heading: `= FileType`
            return line
    return ""


# a javadoc's HTML, not a generic type (`Map<String, Integer>`: review)
_HTML_TAG = re.compile(r"</?(?:p|code|b|i|em|strong|tt|pre|br|ul|ol|li|a|span|div|blockquote|h[1-6]|table|tr|td|th|"
                       r"sup|sub|dl|dt|dd)\s*/?>|<a\s+href=[^<>]*>", re.IGNORECASE)


def _model_options(fn):
    """Flags shared by every command that loads a model (--quantize int8: the older spelling of --precision int8)."""
    command = fn

    @functools.wraps(command)
    def merged(*args, quantize: str | None = None, **kwargs):
        kwargs["precision"] = kwargs.get("precision") or quantize
        return command(*args, **kwargs)

    fn = click.option("--quantize", type=click.Choice(["int8"]), default=None, hidden=True,
                      help="The same as --precision int8.")(merged)
    fn = click.option("--precision", type=click.Choice(list(CHOICES["precision"])), default=None,
                      help="The model's precision: int8 (CPU only: dynamic per-channel int8, the CPU's default, ~2x "
                           "faster, <= 0.004 NDCG@10 lost; benchmarks/results/int8.md) or fp32 (the default on GPUs). "
                           "A change re-embeds the index once. [env CODESEARCH_PRECISION]")(fn)
    fn = click.option("--device", default=None,
                      help="cuda, mps or cpu (default: best available). [env CODESEARCH_DEVICE]")(fn)
    fn = click.option("--model", "-m", default=None,
                      help="udever-560m (default), udever-1b1, udever-3b, udever-7b1, minilm, a hub id, or a folder; an "
                           "existing index goes on with the model it was built with. [env CODESEARCH_MODEL]")(fn)
    return fn


@cli.command()
@click.argument("texts", nargs=-1, required=True)
@click.option("--query", "kind", flag_value="query", default=True, help="Embed as search queries (default).")
@click.option("--document", "kind", flag_value="document", help="Embed as code documents.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of vectors.")
@_model_options
def embed(texts: tuple[str, ...], kind: str, as_json: bool, model: str | None, device: str | None, precision: str | None) -> None:
    """Print the unit-length embedding of each TEXT."""
    from codesearch.embed.embedding import load_embedder

    cfg = _config(model=model, device=device, precision=precision)
    embedder = load_embedder(_model_here(cfg), cfg)
    click.echo(f"model: {embedder.model_id} ({embedder.dim} dims)", err=True)
    vecs = embedder.embed_queries(list(texts)) if kind == "query" else embedder.embed_documents(list(texts))
    if as_json:
        click.echo(json.dumps([[round(float(x), 7) for x in v] for v in vecs]))
    else:
        for text, v in zip(texts, vecs):
            head = " ".join(f"{x:+.4f}" for x in v[:6])
            click.echo(f"{text[:40]!r}: [{head} ...] ({len(v)} dims)")


def _model_here(cfg: Config) -> str:
    """The model a command means without --model: the one the index here records, else the default."""
    from codesearch.engine import Index
    from codesearch.errors import NoIndexError, UntrustedIndexError

    if cfg.model:
        return cfg.model
    try:
        with Index.open(Path.cwd(), cfg) as idx:
            return idx.model_name
    except (NoIndexError, UntrustedIndexError):  # a folder we did not write says nothing we believe
        return cfg.model_name()


@cli.group()
def model() -> None:
    """Inspect or fetch embedding models."""


@model.command("show")
@click.argument("name", required=False)
def model_show(name: str | None) -> None:
    """Say which weights NAME resolves to (offline-first; default: the index's model, else the default)."""
    from codesearch.models.resolve import resolve_model

    resolved = resolve_model(name or _model_here(_config()))
    click.echo(f"model: {resolved.model_id}\nbackend: {resolved.backend}\npath: {resolved.path}")


@model.command("download")
@click.argument("name", required=False)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def model_download(name: str | None, quiet: bool) -> None:
    """Fetch a model ahead of time (resumable), converting a torch checkpoint to safetensors."""
    from codesearch.models.cache import read_manifest
    from codesearch.models.resolve import offline, resolve_model

    if offline():
        raise CodesearchError("HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) is set: unset it to download a model, "
                              "or copy a model folder from a machine that has it; `--model minilm` works offline")
    with _download_display(quiet) as on_download:
        resolved = resolve_model(name or _config().model_name(), on_download)
    manifest = read_manifest(resolved.path)
    licence = manifest.licence if manifest else None
    click.echo(f"ready: {resolved.model_id} at {resolved.path}" + (f" (licence: {licence})" if licence else ""))


@model.command("list")
def model_list() -> None:
    """Show every alias and its state (ready here, or how to get it), then other models in codesearch's cache."""
    from codesearch.models.cache import cached_models, folder_bytes, models_dir
    from codesearch.models.resolve import alias_states

    aliases = alias_states()
    for state in aliases:
        click.echo(f"{state.alias:<12} {state.model_id:<40} {state.state}")
    shown = {state.model_id for state in aliases}
    others = [(folder, manifest) for folder, manifest in cached_models() if manifest.model_id not in shown]
    if others:
        click.echo(f"\nother models in {models_dir()}:")
    for folder, manifest in others:
        note = f", converted from {manifest.converted_from}" if manifest.converted_from else ""
        click.echo(f"{manifest.model_id:<40} {folder_bytes(folder) / 1e6:>9.1f} MB  "
                   f"licence {manifest.licence or 'unknown'}  {folder}{note}")


def _say_precision(embedder) -> None:
    """Say when memory made the model load in another precision than asked."""
    note = getattr(getattr(embedder, "precision", None), "note", None)
    if note:
        click.echo(f"note: {note}", err=True)


def _download_display(quiet: bool):
    """A download progress bar on a terminal, and the licence line, for commands that may download."""
    from codesearch.cli.progress import download_progress

    return download_progress(enabled=not quiet and sys.stderr.isatty(), say=lambda m: click.echo(m, err=True))


def _cache_options(fn):
    """The shared embedding cache switch, for every command that embeds."""
    return click.option("--no-shared-cache", is_flag=True,
                        help="Do not look up or keep vectors in the user-level cache shared by every index. "
                             "[env CODESEARCH_SHARED_CACHE=0]")(fn)


def _shared(no_shared_cache: bool) -> bool | None:
    return False if no_shared_cache else None


def _index_options(fn):
    fn = click.option("--index-dir", default=None,
                      help="Where the index lives (default: <root>/.codesearch; a relative folder is under the "
                           "repository root). [env CODESEARCH_INDEX_DIR]")(fn)
    return fn


def _auto_serve_option(fn):
    return click.option("--auto-serve", is_flag=True, default=None,
                        help="With no server running, start one in the background so later queries are warm "
                             "(it stops after 30 idle minutes; log in the index folder). [env CODESEARCH_AUTO_SERVE]")(fn)


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@_repo_option()
@_model_options
@_index_options
@click.option("--rebuild", is_flag=True, help="Forget the index and build it again (needed to change model).")
@click.option("--max-file-bytes", type=int, default=None, help="Skip files larger than this (default 1 MiB).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with what was done.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@_cache_options
@click.option("--ray", "ray_address", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
              help="Embed on Ray: alone, a local runtime; `auto` or HOST:PORT joins a cluster (pip install \"codesearch[ray]\").")
@click.option("--ray-actors", type=click.IntRange(1), default=None,
              help="Model actors on Ray (default: one per GPU, else one per 4 CPUs).")
def index(path: Path | None, repo: Path | None, model: str | None, device: str | None, precision: str | None, index_dir: str | None,
          rebuild: bool, max_file_bytes: int | None, as_json: bool, quiet: bool, no_shared_cache: bool,
          ray_address: str | None, ray_actors: int | None) -> None:
    """Index a repository (incremental: only what changed is parsed and embedded)."""
    from codesearch.engine import Index, repository_root
    from codesearch.cli.progress import sync_progress

    cfg = _config(model=model, device=device, precision=precision, index_dir=index_dir, max_file_bytes=max_file_bytes,
                  shared_cache=_shared(no_shared_cache))
    path = _one_repo(path, repo)
    root = path.resolve() if path else repository_root(Path.cwd(), cfg)
    settings = (device, precision, max_file_bytes, no_shared_cache or None)  # a server syncs with its own: one given
    own = rebuild or ray_address or any(v is not None for v in settings)
    if not own and (_synced_by_server(root, cfg, as_json) or _kept_by_watcher(root, cfg, as_json)):
        return  # here (or another model) is the index's own to say (a model mismatch, the lock's holder: review)
    with Index.create(root, cfg, rebuild=rebuild) as idx:
        where = f" on Ray ({ray_address})" if ray_address else ""
        if ray_address:
            model_id = idx.model_name
        else:  # a download shows its progress here; the weights load during the lexical pass
            with _download_display(quiet or as_json) as on_download:
                try:
                    model_id = idx.fetch_model(on_download)
                except BaseException:
                    idx.discard()
                    raise
        click.echo(f"indexing {idx.root} with {model_id}{where}", err=True)
        with sync_progress(enabled=not quiet and not as_json, terminal=sys.stderr.isatty()) as progress:
            if ray_address:
                report = idx.sync_on_ray(ray_address, ray_actors, on_progress=progress)
            else:
                report = idx.sync(on_progress=progress)
        if idx.model_loaded:
            _say_precision(idx.embedder())
        empty = idx.empty_note()
        covered = idx.coverage()
    _say_synced(report, covered, empty, as_json)


def _synced_by_server(root: Path, cfg: Config, as_json: bool) -> bool:
    """True when a running `serve` whose watcher holds this index's writer lock synced it for this `index` (an editor's
    background server made `index` in a script fail: fault sweep 2); False to index here as usual."""
    from codesearch.query import Coverage
    from codesearch.serve.client import sync_through, writing_server
    from codesearch.sync.indexer import SyncReport

    serving = writing_server(root, cfg)
    if serving is None:
        return False
    click.echo(f"indexing {root} through the running server (pid {serving[0]}), which keeps it current", err=True)
    reply = sync_through(serving[1], SERVER_SYNC_SECONDS)
    if reply is None:
        return False  # it stopped meanwhile: index here (or say who holds the lock)
    known = {k: v for k, v in reply["synced"].items() if k in SyncReport.__dataclass_fields__}
    _say_synced(SyncReport(**known), Coverage.from_dict(reply.get("coverage")) or Coverage(0, 0), None, as_json)
    return True


def _kept_by_watcher(root: Path, cfg: Config, as_json: bool) -> bool:
    """True when a watcher without a server (`watch`, an MCP server, the TUI) holds this index and keeps it current,
    said in one line: `index` in a git hook beside an agent's MCP server exited 2, "wait for it to finish", which never
    came (fault sweep 3); False to index here as usual."""
    from codesearch.serve.client import watching_writer

    pid = watching_writer(root, cfg)
    if pid is None:
        return False
    click.echo(f"note: the index of {root} is kept current by a running watcher (pid {pid}: `codesearch watch`, an MCP "
               "server or the TUI), which reads each file as it changes: nothing to do here", err=True)
    if as_json:  # a script reading `--json` gets an object too (review)
        click.echo(json.dumps({"kept_by_watcher": pid}))
    return True


SERVER_SYNC_SECONDS = 3600.0  # a first sync through a server embeds as long as `index` would


def _say_synced(report, covered, empty: str | None, as_json: bool) -> None:
    """What one sync did, as `index` says it: the summary line (or JSON), then its notes and warnings."""
    if empty:
        click.echo(f"warning: {empty}", err=True)
    if as_json:
        click.echo(json.dumps(report.to_dict()))
    else:
        skipped = ", ".join(f"{n} {why}" + (f" ({', '.join(report.ignored)})" if why == "ignored" and  # which: probes
                                            n <= len(report.ignored) else "")  # 182, 183 asked
                            for why, n in sorted(report.skipped.items()))
        click.echo(f"{report.files_scanned} files scanned ({report.files_changed} changed, {report.files_removed} removed); "
                   f"{report.functions_total} units found ({covered.functions} large enough for a vector, "
                   f"{covered.embedded} of them embedded: {report.functions_embedded} now, the rest kept or cached), "
                   f"{report.functions_removed} removed in {report.seconds:.1f}s" + (f"; skipped {skipped}" if skipped else ""))
        if report.not_read:
            click.echo(f"not read: {unread_line(report.not_read)}")
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    for err in report.errors[:20]:
        click.echo(f"warning: {err}", err=True)


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@_repo_option(exists_dir=False)
@_index_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def status(path: Path | None, repo: Path | None, index_dir: str | None, as_json: bool) -> None:
    """Show what the index holds and how fresh it is."""
    import datetime

    from codesearch.engine import Index

    with Index.open(_one_repo(path, repo) or Path.cwd(), _config(index_dir=index_dir)) as idx:
        info = idx.status()
    if as_json:
        click.echo(json.dumps(info))
        return
    when = datetime.datetime.fromtimestamp(info["updated_at"]).strftime("%Y-%m-%d %H:%M:%S") if info["updated_at"] else "never"
    watch = (f"running (pid {info['watcher_pid']}, last sync "
             + (datetime.datetime.fromtimestamp(info["last_sync"]).strftime("%H:%M:%S") if info["last_sync"] else "pending")
             + ")") if info["watcher"] else "not running"
    serving = f"running (pid {info['server_pid']})" if info.get("server_pid") else "not running"
    info = {key: printable(value) if isinstance(value, str) else value for key, value in info.items()}
    click.echo(f"root:        {info['root']}\nindex:       {info['index_dir']}\nmodel:       {info['model']} ({info['dim']} dims"
               + (f", {info['token_budget']} tokens per unit" if info.get("token_budget") else "")
               + (f", {info['precision']}" if info.get("precision") else "") + ")\n"
               f"files:       {info['files']}\nunits:       {info['units']} ("
               + ", ".join(f"{n} {printable(kind)}" for kind, n in info["unit_kinds"].items()) + ")\n"
               f"embedded:    {_coverage_line(info)}\n{_static_line(info)}index size:  {info['index_bytes'] / 1e6:.1f} MB\n"
               f"updated:     {when}\nstale files: {info['stale_files']}\nwatcher:     {watch}\nserver:      {serving}\n"
               f"shared cache: {_shared_line(info['shared_cache'])}")
    if info.get("skipped"):
        click.echo("skipped:     " + ", ".join(f"{n} {printable(why)}" for why, n in sorted(info["skipped"].items())))
    if info.get("not_read"):
        click.echo(f"not read:    {printable(unread_line(info['not_read']))}")
    for rel, why in info.get("problems", [])[:20]:
        click.echo(f"  {printable(rel)}: {printable(why)}")


def _one_repo(path: Path | None, repo: Path | None) -> Path | None:
    """The repository named by the PATH argument or --repo (not both, unless they agree)."""
    if path is not None and repo is not None and path.resolve() != repo.resolve():
        raise click.UsageError(f"give the repository once: PATH {path} or --repo {repo}")
    return path or repo


def _coverage_line(info: dict) -> str:
    """'1200 of 1200 (100 %)'; while embedding is behind, whether a process is at it now and the time to go."""
    done, total, eta, writer = info["embedded"], info["functions"], info["embed_eta_seconds"], info.get("writer_pid")
    line = f"{done} of {total} ({100 * done // total} %)" if total else "0 of 0"
    smaller = (info.get("units") or 0) - total  # "232 of 232" beside "units: 308" read as 76 lost (probe 79)
    line += f" large enough for a vector; {smaller} smaller units are found by their words" if smaller > 0 else ""
    if not total or done >= total:
        return line
    if writer:
        return line + f", embedding now (pid {writer}): " + (f"about {_duration(eta)} to go" if eta is not None else
                                                             "time to go known after its first batch")
    return line + ", the rest on the next `codesearch index` (or a running watch/serve)" + (
        f", about {_duration(eta)} at the last rate" if eta is not None else "")


def _static_line(info: dict) -> str:
    """'static tier: 1200 of 1200 (100 %)\n' while the model has not embedded everything (the static tier answers
    by meaning for the rest), saying when it is still interim; '' otherwise."""
    static, total = info.get("static") or 0, info["functions"]
    if not static or info["embedded"] >= total:
        return ""
    interim = ", interim: its rarer words are still being distilled" if info.get("static_interim") else ""
    return f"static tier: {static} of {total} ({100 * static // total} %{interim}; answers by meaning until embedded)\n"


def _duration(seconds: float) -> str:
    """A time to go as people say it: 40 s, 3 min, 1 h 20 min."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{int(seconds // 3600)} h {round(seconds % 3600 / 60)} min"


def _shared_line(cache: dict) -> str:
    if not cache["enabled"]:
        return "off"
    return f"{cache['vectors']} vectors, {cache['bytes'] / 1e6:.1f} MB at {cache['path']}"


@cli.command(cls=_TextCommand, epilog=SCORE_HELP)
@click.argument("text", nargs=-1, required=True)
@click.option("-k", "--limit", "k", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many results.")
@click.option("--lang", "langs", default=None,
              help="Only these languages, comma-separated (go,python,...; js, ts, py, rb too).")
@click.option("--path", "path_glob", default=None, help="Only paths matching this gitignore-style glob.")
@click.option("--kind", "kinds", default=None,
              help="Only these unit kinds, comma-separated (function,method,constructor,type,module,block,window; class, "
                   "struct, interface and enum are type).")
@click.option("--mode", type=click.Choice(["hybrid", "semantic", "lexical"]), default=None,
              help="Ranking (default: hybrid, chosen on the benchmarks).")
@click.option("--files", "by_file", is_flag=True, help="Rank files (their best units aggregated), not units.")
@_repo_option("--in", multiple=True,
              help="Search this indexed repository (repeatable; default: the one here, or a .codesearch-workspace); "
                   "a folder inside one searches that folder's files.")
@click.option("--include-tests", is_flag=True, default=None,
              help="Rank tests, examples, vendored and generated code like main code. [env CODESEARCH_INCLUDE_TESTS]")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON array of results: path, start_line and end_line (the unit), line (where to open it: "
                   "the line saying the question's words in a type or module piece), kind, code, signals.")
@click.option("--vimgrep", is_flag=True, help="Print path:line:col:text lines for an editor's quickfix list.")
@click.option("--jsonl", is_flag=True, help="Print one JSON object per result, a line each, as they come.")
@click.option("--explain", is_flag=True, help="Show each result's scores, ranks and ranking signals.")
@click.option("--no-server", is_flag=True, help="Search in this process even if a server is running.")
@_auto_serve_option
@_model_options
@_index_options
def query(text: tuple[str, ...], k: int, langs: str | None, path_glob: str | None, kinds: str | None, mode: str | None, by_file: bool,
          repo: tuple[Path, ...], include_tests: bool | None, as_json: bool, vimgrep: bool, jsonl: bool, explain: bool,
          no_server: bool, auto_serve: bool | None, model: str | None, device: str | None, precision: str | None,
          index_dir: str | None) -> None:
    """Find the code that does what TEXT says (any natural language; quotes are optional).

    Exit status: 0 with results, 1 when nothing matches, 2 for an error (like grep). By meaning (the default,
    hybrid) something always comes nearest, said with a note when no word of TEXT is in the code: `--mode lexical`
    exits 1 when no word matches."""
    from codesearch.serve.client import Answer
    from codesearch.search.filerank import function_budget, rank_files, wider_budget
    from codesearch.query import Query
    from codesearch.workspace import find_workspace, folder_filter, one_repository, search_many
    from codesearch.cli.output import answer_notes, print_files, print_hits, score_label

    languages = [x.strip().lower() for x in langs.split(",") if x.strip()] if langs else []
    cfg = _config(model=model, device=device, precision=precision, index_dir=index_dir, include_tests=include_tests,
                  auto_serve=auto_serve)
    workspace = None if repo else find_workspace(Path.cwd())
    paths = list(repo) or (workspace[1] if workspace else [])
    start = one_repository(paths, cfg) if paths else Path.cwd()  # None: several repositories, merged here
    if repo and path_glob is None and (path_glob := folder_filter(paths, start)):  # `--repo lib/Wire`: its files
        folders = ", ".join(line.strip("/") + "/" for line in path_glob.split("\n"))
        click.echo(f"note: searching {folders} of the repository at {start} (--path narrows it otherwise)", err=True)
    kind_names = tuple(x.strip() for x in (kinds or "").split(",") if x.strip())
    budget = function_budget(k) if by_file else k
    while budget:  # --files: asked again for more functions while a few files hold them all (testify's mock.go)
        q = Query(" ".join(text), k=budget, languages=tuple(languages), path_glob=path_glob,
                  mode=mode or DEFAULT_MODE, include_tests=cfg.include_tests, kinds=kind_names)
        if start is None:
            hits, model = search_many(paths, cfg, q)
            answer = Answer(Path.cwd(), hits, model=model)
        else:  # one repository, named or here: asked as from inside it (its warm server, --auto-serve)
            answer = _run_query(cfg, q, no_server, start)
            answer = answer.of_repository() if paths else answer
        budget = wider_budget(answer.hits, k, budget) if by_file else 0
    if answer.note:
        click.echo(answer.note, err=True)
    for note in answer_notes(answer, q.text, q.mode):
        click.echo(note, err=True)
    if answer.cold and not cfg.auto_serve and not no_server and not (as_json or vimgrep or jsonl):  # for people
        _hint_once("serve", answer.root, "note: this query loaded the model in this process (seconds); keep it warm "
                   "for the next ones with `codesearch serve` in another terminal, or `--auto-serve` "
                   "(CODESEARCH_AUTO_SERVE=1) to start one in the background")
    if not answer.hits and answer.coverage is not None and answer.coverage[:2] == (0, 0):
        _say_empty(answer.root, cfg)
    elif not answer.hits and start is not None and (q.languages or q.path_glob or q.kinds):
        _say_filtered(answer.root, cfg, q)
    label = score_label(q.mode)
    if by_file:
        print_files(rank_files(answer.hits, k), answer.root, as_json=as_json, vimgrep=vimgrep, score_label=label,
                    jsonl=jsonl, explain=answer.hits if explain else None)
    else:
        print_hits(answer.hits, answer.root, as_json=as_json, vimgrep=vimgrep, explain=explain, jsonl=jsonl,
                   score_label=label)
    return 0 if answer.hits else 1


def _run_query(cfg: Config, q: Query, no_server: bool, start: Path) -> Answer:
    """The answer from the index covering start; where there is none and --path names a folder that has one, the
    error says to give it with --repo (`--path repos/pg` read as the repository: probe 205)."""
    from codesearch.engine import Index
    from codesearch.errors import NoIndexError
    from codesearch.serve.client import run_query

    try:
        return run_query(start, cfg, q, use_server=not no_server)
    except NoIndexError as exc:
        folder = Path(q.path_glob) if q.path_glob else None
        if folder is None or not folder.is_dir() or Index.covering(folder, cfg) is None:
            raise
        raise NoIndexError(f"{exc}; --path filters the files of the index searched: to search the repository at "
                           f"{q.path_glob}, give it with --repo {shlex.quote(q.path_glob)}") from None


def _say_empty(root: Path, cfg: Config) -> None:
    """Why a query found nothing when the index holds no functions at all."""
    from codesearch.engine import Index

    with Index.open(root, cfg) as idx:
        note = idx.empty_note()
    if note:
        click.echo(f"codesearch: {note}", err=True)


def _say_filtered(root: Path, cfg: Config, q) -> None:
    """Why a query found nothing when its filters leave nothing to search (Index.filter_note)."""
    from codesearch.engine import Index

    with Index.open(root, cfg) as idx:
        note = idx.filter_note(q)
    if note:
        click.echo(f"codesearch: {note}", err=True)


def _hint_once(topic: str, root: Path, text: str) -> None:
    """Say text on stderr the first time topic comes up for this repository (remembered in the user's cache)."""
    import hashlib
    import os

    from codesearch.config import cache_root

    marker = cache_root() / "hints" / f"{topic}-{hashlib.sha256(str(root).encode()).hexdigest()[:16]}"
    if marker.exists():
        return
    click.echo(text, err=True)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(marker, os.O_CREAT | os.O_WRONLY | os.O_NOFOLLOW, 0o600))
    except OSError:
        pass  # a read-only cache: the hint shows again next time, which is harmless


def _path_and_line(where: str) -> tuple[Path, int]:
    """PATH:LINE as given on the command line."""
    path, sep, line = where.rpartition(":")
    if sep and path and line.strip().isdigit() and int(line) < 1:
        raise click.BadParameter(f"{where!r}: lines are numbered from 1", param_hint="PATH:LINE")
    if not sep or not path or not line.strip().isdigit():
        raise click.BadParameter(f"{where!r} is not PATH:LINE (for example src/app.py:42)", param_hint="PATH:LINE")
    return Path(path), int(line)


@cli.command()
@click.argument("where", metavar="PATH:LINE")
@click.option("-k", "--limit", "k", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many results.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of results.")
@click.option("--vimgrep", is_flag=True, help="Print path:line:col:text lines for an editor's quickfix list.")
@click.option("--jsonl", is_flag=True, help="Print one JSON object per result, a line each, as they come.")
@click.option("--no-server", is_flag=True, help="Search in this process even if a server is running.")
@_auto_serve_option
@_index_options
def similar(where: str, k: int, as_json: bool, vimgrep: bool, jsonl: bool, no_server: bool, auto_serve: bool | None,
            index_dir: str | None) -> None:
    """Find code like the unit (function, type, block) around PATH:LINE (by its stored vector; nothing is re-embedded)."""
    from codesearch.serve.client import run_similar
    from codesearch.cli.output import answer_notes, print_hits, score_label

    path, line = _path_and_line(where)
    cfg = _config(index_dir=index_dir, auto_serve=auto_serve)
    answer = run_similar(Path.cwd(), cfg, path, line, k, use_server=not no_server)
    for note in answer_notes(answer):
        click.echo(note, err=True)
    print_hits(answer.hits, answer.root, as_json=as_json, vimgrep=vimgrep, jsonl=jsonl, score_label=score_label("similar"))
    return 0 if answer.hits else 1


def _sync_line(report) -> str:
    what = ", ".join(report.changed_paths[:3]) + (f" (+{len(report.changed_paths) - 3} more)" if len(report.changed_paths) > 3 else "")
    return (f"synced {report.files_changed} changed, {report.files_removed} removed file(s){': ' + what if what else ''}; "
            f"{report.functions_embedded} embedded, {report.functions_removed} removed, {report.functions_total} total "
            f"in {report.seconds:.2f}s") + "".join(f"\nnote: {note}" for note in report.notes)


class _Live:
    """What `watch` and `serve` hear from a live index: each change of its state said once on stderr,
    and the reason to stop when it can no longer do its job (no model to embed with, another writer)."""

    def __init__(self, command: str, say, needs_model: bool, needs_writer: bool) -> None:
        import threading

        self.command, self.say, self.needs_model, self.needs_writer = command, say, needs_model, needs_writer
        self.failed: str | None = None
        self.stop = threading.Event()
        self._said: set[str] = set()

    def on_state(self, state) -> None:
        if state.model == "unavailable" and self.needs_model:
            self._fail(f"no model to embed with: {state.model_error}")
        elif state.model == "unavailable":
            self._once(f"codesearch {self.command}: answering by words only: {state.model_error}")
        if state.read_only and self.needs_writer:
            self._fail(state.read_only)
        elif state.read_only:
            self._once(f"codesearch {self.command}: not watching: {state.read_only}")
        if state.index_error:  # tried again each second: once it reads, this process follows the new index
            self._once(f"codesearch {self.command}: {state.index_error}")
        if state.model == "ready":
            self._once("model loaded: searches now rank by meaning"
                       + (" (queries embedded with an int8 copy; --exact-queries to turn off)" if state.fast_queries else ""),
                       quiet=True)

    def on_error(self, message: str) -> None:
        click.echo(f"codesearch {self.command}: {message}", err=True)

    def _once(self, line: str, quiet: bool = False) -> None:
        if line not in self._said:
            self._said.add(line)
            (self.say if quiet else lambda m: click.echo(m, err=True))(line)

    def _fail(self, why: str) -> None:
        self.failed = self.failed or why
        self.stop.set()

    def wait(self) -> None:
        """Block until SIGINT or SIGTERM, or until the live index cannot go on (then exit with its reason)."""
        import signal

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: self.stop.set())
        while not self.stop.wait(0.5):
            pass
        if self.failed:
            raise CodesearchError(self.failed)


def _live_root(path: Path | None, cfg: Config) -> Path:
    """The repository a long-running command keeps live: PATH as given, else the one the working directory is in."""
    from codesearch.engine import repository_root

    return path.resolve() if path else repository_root(Path.cwd(), cfg)


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@_repo_option()
@_model_options
@_index_options
@click.option("-q", "--quiet", is_flag=True, help="No line per sync.")
@_cache_options
def watch(path: Path | None, repo: Path | None, model: str | None, device: str | None, precision: str | None, index_dir: str | None,
          quiet: bool, no_shared_cache: bool) -> None:
    """Sync once, then keep the index current as files change (Ctrl-C to stop)."""
    from codesearch.engine import Index

    path = _one_repo(path, repo)
    cfg = _config(model=model, device=device, precision=precision, index_dir=index_dir, shared_cache=_shared(no_shared_cache))
    say = (lambda m: None) if quiet else (lambda m: click.echo(m, err=True))
    live = _Live("watch", say, needs_model=True, needs_writer=True)
    with Index.live(_live_root(path, cfg), cfg, on_sync=lambda r: say(_sync_line(r)), on_error=live.on_error,
                    on_state=live.on_state) as idx:
        say(f"watching {idx.root} with {idx.model_name}")
        live.wait()
    say("stopped")


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@_repo_option()
@_model_options
@_index_options
@click.option("--no-watch", is_flag=True, help="Serve the existing index as it is: no first build, no watching.")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Also listen on this TCP port, on 127.0.0.1 only (needs --allow-tcp).")
@click.option("--allow-tcp", is_flag=True,
              help="Allow --port: any local user can connect, so each request must carry the token that "
                   "server.json in the index folder holds (readable only by you).")
@click.option("--exact-queries", is_flag=True, default=None,
              help="Embed queries with the fp32 model too (slower; default: an int8 copy on CPU). "
                   "[env CODESEARCH_EXACT_QUERIES]")
@click.option("--idle-exit", type=click.FloatRange(min=0, min_open=True), default=None, metavar="MINUTES",
              help="Stop after this many minutes without a query.")
@click.option("-q", "--quiet", is_flag=True, help="No line per sync.")
@click.option("--stop", is_flag=True, help="Stop the server answering for this index (one --auto-serve started too).")
@_cache_options
def serve(path: Path | None, repo: Path | None, model: str | None, device: str | None, precision: str | None,
          index_dir: str | None, no_watch: bool, port: int | None, allow_tcp: bool, exact_queries: bool | None,
          idle_exit: float | None, quiet: bool, stop: bool, no_shared_cache: bool) -> None:
    """Keep the model and index warm and answer queries over a Unix socket (editors use it).

    It answers at once: by words while the model loads (each answer says so), then by meaning."""
    from codesearch.engine import Index
    from codesearch.errors import ServerRunningError, UsageError
    from codesearch.serve.client import running_server, stop_server
    from codesearch.serve.server import SearchServer

    path = _one_repo(path, repo)

    if port is not None and not allow_tcp:
        raise UsageError("--port listens on TCP, where any local user can connect: add --allow-tcp to allow it "
                         "(each request must then carry the token from server.json in the index folder)")
    cfg = _config(model=model, device=device, precision=precision, index_dir=index_dir, exact_queries=exact_queries,
                  shared_cache=_shared(no_shared_cache))
    if stop:  # a background server (`--auto-serve`) was stopped by kill only (probe 225)
        stopped = stop_server(path.resolve() if path else Path.cwd(), cfg)
        click.echo(f"stopped the server (pid {stopped})" if stopped else "no server answers for this index", err=True)
        return
    pid = running_server(path.resolve() if path else Path.cwd(), cfg)
    if pid is not None:
        raise ServerRunningError(f"a server (pid {pid}) already answers for this index and queries use it; "
                                 f"stop it (codesearch serve --stop) to start another")
    say = (lambda m: None) if quiet else (lambda m: click.echo(m, err=True))
    live = _Live("serve", say, needs_model=False, needs_writer=False)
    with Index.live(_live_root(path, cfg), cfg, watch=not no_watch, on_sync=lambda r: say(_sync_line(r)),
                    on_error=live.on_error, on_state=live.on_state) as idx:
        server = SearchServer(idx, port, idle_exit=idle_exit * 60 if idle_exit else None)
        try:
            server.serve_forever(ready=lambda where: say(f"serving {idx.root} ({idx.model_name}) on {where}"))
        except KeyboardInterrupt:
            pass
    say("stopped")


@cli.command()
@_repo_option("--root", help="The repository to serve (default: the one the working directory is in).")
@_model_options
@_index_options
@click.option("--no-watch", is_flag=True, help="Serve an existing index as it is: no first build, no watching.")
def mcp(repo: Path | None, model: str | None, device: str | None, precision: str | None, index_dir: str | None,
        no_watch: bool) -> None:
    """Serve the index to coding agents over the Model Context Protocol (stdio)."""
    from codesearch.engine import repository_root

    try:
        from codesearch.mcp.server import serve_stdio
    except ImportError as exc:
        raise click.ClickException(f"the MCP server needs the mcp package ({exc}): pip install 'codesearch[mcp]'")
    cfg = _config(model=model, device=device, precision=precision, index_dir=index_dir)
    serve_stdio(repo.resolve() if repo else repository_root(Path.cwd(), cfg), cfg, watch=not no_watch)


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@_repo_option(exists_dir=False)
@_model_options
@_index_options
def tui(path: Path | None, repo: Path | None, model: str | None, device: str | None, precision: str | None, index_dir: str | None) -> None:
    """Open the terminal UI in the repository that contains PATH."""
    from codesearch.tui.app import run_app

    run_app(_one_repo(path, repo) or Path.cwd(), _config(model=model, device=device, precision=precision, index_dir=index_dir))


@cli.group()
def cache() -> None:
    """The user-level embedding cache shared by every index: prune it, export and import bundles."""


def _shared_cache():
    """The shared cache, or a clear error when the settings turn it off."""
    from codesearch.store.embedcache import SharedCache
    from codesearch.errors import UsageError

    found = SharedCache.for_config(_config(), required=True)
    if found is None:
        raise UsageError("the shared embedding cache is off (CODESEARCH_SHARED_CACHE=0); unset it to use `codesearch cache`")
    return found


@cache.command("prune")
@click.option("--max-size", default=None, help="Keep the most recently used vectors that fit in this size (500M, 2G).")
@click.option("--older-than", default=None, help="Drop vectors not used for this long (30d, 12h, 2w).")
def cache_prune(max_size: str | None, older_than: str | None) -> None:
    """Trim the shared embedding cache, least recently used first."""
    from codesearch.store.embedcache import parse_age, parse_size

    if max_size is None and older_than is None:
        raise click.UsageError("give --max-size, --older-than or both")
    limit, age = (parse_size(max_size) if max_size else None), (parse_age(older_than) if older_than else None)
    shared = _shared_cache()
    try:
        dropped = shared.prune(max_bytes=limit, older_than=age)
        click.echo(f"dropped {dropped} vectors; {shared.count()} left, {shared.file_bytes() / 1e6:.1f} MB at {shared.path}")
    finally:
        shared.close()


@cache.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_repo_option("--path", exists_dir=False,
              help="The repository whose index is exported (default: the one covering the current folder).")
@_index_options
def cache_export(file: Path, repo: Path | None, index_dir: str | None) -> None:
    """Write the index's vectors to an embedding bundle FILE (SQLite, with model, dimension and checksum)."""
    from codesearch.engine import Index

    with Index.open(repo or Path.cwd(), _config(index_dir=index_dir)) as idx:
        info = idx.export_bundle(file)
    click.echo(f"exported {info.count} vectors of {info.model_id} ({info.dim} dims, {info.recipe}) to {file}")


@cache.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", "-m", default=None,
              help="The model the vectors must be of (default: the index's, else the bundle's own).")
@_repo_option("--path", exists_dir=False,
              help="Check against this repository's index (default: the one covering the current folder, if any).")
@_index_options
def cache_import(file: Path, model: str | None, repo: Path | None, index_dir: str | None) -> None:
    """Add the vectors of an embedding bundle FILE to the shared cache, after checking it whole (no model is
    loaded or downloaded)."""
    from codesearch.engine import import_bundle

    info, added, where = import_bundle(file, (repo or Path.cwd()).resolve(), _config(model=model, index_dir=index_dir))
    click.echo(f"imported {added} new vectors of {info.model_id} ({info.count} in the bundle) into {where}")


def run(argv: list[str] | None = None) -> int:
    """Run the CLI on argv (default: sys.argv), turning library errors into one line and an exit code."""
    try:
        result = cli.main(args=argv, prog_name="codesearch", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return 2 if isinstance(exc, click.UsageError) else exc.exit_code
    except CodesearchError as exc:
        if _State.debug:
            raise
        click.echo(f"codesearch: error: {printable(exc)}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except (BrokenPipeError, _ReaderLeft):  # `codesearch query ... | head`: the reader left, which is fine
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a one-line error
        if _State.debug:
            raise
        click.echo(f"codesearch: unexpected error: {type(exc).__name__}: {printable(exc)} (rerun with --debug for details)", err=True)
        return 2
    finally:
        _State.debug = False


def main() -> None:
    """Console entry point."""
    code = run()
    compute = sys.modules.get("codesearch.embed.compute")  # loaded only by commands that touch torch
    if compute is not None:
        compute.settle()  # torch work ends before the interpreter's exit starts tearing torch down
    sys.exit(code)


if __name__ == "__main__":
    main()
