"""Download a model from the Hugging Face hub: exactly the files it needs, resumable, one clear error.

The file set comes from the repository's listing: config and tokenizer files plus exactly one weight
format (safetensors preferred, else a torch checkpoint; single or sharded). Files are streamed into a
`.part` file next to their destination, so a download interrupted by a dropped connection resumes
with an HTTP Range request, in this run (a few retries) or the next one.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from codesearch.errors import ModelError
from codesearch.models.cache import KNOWN_LICENCES, SUPPORT_FILES, obtain_hint

CHUNK = 1 << 20
RETRIES = 5
_SHARD = {"safetensors": re.compile(r"model-(\d{5})-of-(\d{5})\.safetensors"),
          "bin": re.compile(r"pytorch_model-(\d{5})-of-(\d{5})\.bin")}
_SINGLE = {"safetensors": "model.safetensors", "bin": "pytorch_model.bin"}
_INDEX = {"safetensors": "model.safetensors.index.json", "bin": "pytorch_model.bin.index.json"}


@dataclass(frozen=True)
class RemoteFile:
    """One file to fetch, with what the listing says about it."""

    name: str
    size: int | None
    sha256: str | None  # LFS files: the hub's content hash, checked after download


@dataclass(frozen=True)
class DownloadPlan:
    """The files of one repository at one commit."""

    repo_id: str
    commit: str
    files: tuple[RemoteFile, ...]
    weight_format: str  # "safetensors" or "bin"
    licence: str | None

    @property
    def total_bytes(self) -> int | None:
        sizes = [f.size for f in self.files]
        return None if None in sizes else sum(sizes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class DownloadEvent:
    """Progress of a download, for a progress bar: phase "start", "bytes", "convert" or "done"."""

    phase: str
    repo_id: str
    file: str = ""
    bytes_done: int = 0
    bytes_total: int | None = None
    licence: str | None = None


OnEvent = Callable[[DownloadEvent], None]


def endpoint() -> str:
    """The hub's address, read now (HF_ENDPOINT), so a process can point at another hub."""
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def choose_files(names: list[str]) -> tuple[list[str], str]:
    """Support files plus one weight format, from a repository listing; safetensors when both exist."""
    present = set(names)
    support = [n for n in SUPPORT_FILES if n in present]
    for fmt in ("safetensors", "bin"):
        if _SINGLE[fmt] in present:
            return support + [_SINGLE[fmt]], fmt
        shards = sorted(n for n in names if _SHARD[fmt].fullmatch(n))
        if shards and _INDEX[fmt] in present:
            total = int(_SHARD[fmt].fullmatch(shards[0]).group(2))  # type: ignore[union-attr]
            if len(shards) != total:
                raise ModelError(f"the repository lists {len(shards)} of {total} {fmt} weight shards; it is incomplete")
            return support + [_INDEX[fmt], *shards], fmt
    raise ModelError("the repository has no weights codesearch can read (model.safetensors or pytorch_model.bin, "
                     "single or sharded)")


def plan_download(repo_id: str, revision: str = "main") -> DownloadPlan:
    """Ask the hub what the repository holds (one request) and pick the files to fetch."""
    from huggingface_hub import HfApi

    try:
        info = HfApi(endpoint=endpoint()).model_info(repo_id, revision=revision, files_metadata=True,
                                                     timeout=_timeout())
    except Exception as exc:  # noqa: BLE001 - mapped to one line below
        raise hub_error(repo_id, exc) from exc
    siblings = {s.rfilename: s for s in info.siblings or []}
    try:
        names, fmt = choose_files(list(siblings))
    except ModelError as exc:
        raise ModelError(f"model {repo_id!r}: {exc}") from None
    files = tuple(RemoteFile(n, siblings[n].size, siblings[n].lfs.sha256 if siblings[n].lfs else None) for n in names)
    if "config.json" not in names:
        raise ModelError(f"model {repo_id!r}: the repository has no config.json; it is not a transformers model")
    return DownloadPlan(repo_id, info.sha or revision, files, fmt, _licence(info, repo_id))


def _licence(info, repo_id: str) -> str | None:
    card = getattr(info, "card_data", None)
    licence = getattr(card, "license", None) if card is not None else None
    if not licence:
        licence = next((t.split(":", 1)[1] for t in info.tags or [] if t.startswith("license:")), None)
    return licence or KNOWN_LICENCES.get(repo_id)


def fetch(plan: DownloadPlan, folder: Path, on_event: OnEvent | None = None) -> None:
    """Download every file of plan into folder, resuming any `.part` left by an earlier attempt."""
    folder.mkdir(parents=True, exist_ok=True)
    emit = on_event or (lambda e: None)
    done = sum(_have(folder, f) for f in plan.files)
    _check_space(plan, folder, done)
    emit(DownloadEvent("start", plan.repo_id, bytes_done=done, bytes_total=plan.total_bytes, licence=plan.licence))
    for f in plan.files:
        target = folder / f.name
        if target.exists() and (f.size is None or target.stat().st_size == f.size):
            continue
        before = done

        def progress(n: int, name: str = f.name) -> None:
            emit(DownloadEvent("bytes", plan.repo_id, name, before + n, plan.total_bytes, plan.licence))

        done = before + _fetch_file(plan, f, target, progress)
    emit(DownloadEvent("done", plan.repo_id, bytes_done=done, bytes_total=plan.total_bytes, licence=plan.licence))


def _have(folder: Path, f: RemoteFile) -> int:
    """Bytes of f already on disk (finished or partial)."""
    for p in (folder / f.name, folder / (f.name + ".part")):
        if p.exists():
            return p.stat().st_size
    return 0


def _check_space(plan: DownloadPlan, folder: Path, have: int) -> None:
    total = plan.total_bytes
    if total is None:
        return
    # a torch checkpoint is converted to safetensors next to itself: room for a second copy
    need = total - have + (_weights_bytes(plan) if plan.weight_format == "bin" else 0)
    free = shutil.disk_usage(folder).free
    if need > free:
        raise ModelError(f"model {plan.repo_id!r} needs {_gb(need)} more disk in {folder}, which has {_gb(free)} free: "
                         f"free some space or set XDG_CACHE_HOME (or CODESEARCH_CACHE_DIR) to a larger disk")


def _weights_bytes(plan: DownloadPlan) -> int:
    return sum(f.size or 0 for f in plan.files if f.name.endswith((".bin", ".safetensors")))


def _fetch_file(plan: DownloadPlan, f: RemoteFile, target: Path, progress: Callable[[int], None]) -> int:
    """Stream one file into target (via target.part), retrying and resuming on dropped connections."""
    from huggingface_hub import hf_hub_url

    url = hf_hub_url(plan.repo_id, f.name, revision=plan.commit, endpoint=endpoint())
    part = target.with_name(target.name + ".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    attempts = RETRIES
    while True:
        start = part.stat().st_size if part.exists() else 0
        try:
            _stream(url, part, start, progress)
            break
        except _Transient as exc:
            attempts = RETRIES if part.exists() and part.stat().st_size > start else attempts - 1
            if attempts <= 0:
                raise hub_error(plan.repo_id, exc.__cause__ or exc) from exc
            time.sleep(0.2)
        except ModelError:
            raise
        except Exception as exc:  # noqa: BLE001 - HTTP status errors from the hub client, or the disk
            from huggingface_hub.errors import HfHubHTTPError

            if isinstance(exc, OSError) and not isinstance(exc, HfHubHTTPError):
                raise _disk_error(plan.repo_id, part, exc) from exc
            raise hub_error(plan.repo_id, exc) from exc
    _verify(plan.repo_id, f, part)
    os.replace(part, target)
    return target.stat().st_size


class _Transient(Exception):
    """A dropped connection or timeout: worth a retry from where the file stopped."""


def _stream(url: str, part: Path, start: int, progress: Callable[[int], None]) -> None:
    import httpx2
    from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

    headers = build_hf_headers(token=os.environ.get("HF_TOKEN") or None)
    headers["Accept-Encoding"] = "identity"
    if start:
        headers["Range"] = f"bytes={start}-"
    try:
        with get_session().stream("GET", url, headers=headers, timeout=_timeout(), follow_redirects=True) as response:
            if response.status_code == 416 and start:  # the part is already whole
                return
            if response.status_code >= 400:
                response.read()
                hf_raise_for_status(response)
            mode = "ab" if start and response.status_code == 206 else "wb"
            written = start if mode == "ab" else 0
            with part.open(mode) as out:
                for chunk in response.iter_bytes():  # as it arrives: a drop loses nothing written
                    out.write(chunk)
                    written += len(chunk)
                    progress(written)
    except (httpx2.TransportError, httpx2.StreamError) as exc:
        raise _Transient(str(exc)) from exc


def _verify(repo_id: str, f: RemoteFile, part: Path) -> None:
    size = part.stat().st_size
    if f.size is not None and size != f.size:
        part.unlink()
        raise ModelError(f"model {repo_id!r}: {f.name} arrived with {size} bytes, the hub says {f.size}; run the command again")
    if f.sha256:
        digest = hashlib.sha256()
        with part.open("rb") as fh:
            for block in iter(lambda: fh.read(CHUNK * 8), b""):
                digest.update(block)
        if digest.hexdigest() != f.sha256:
            part.unlink()
            raise ModelError(f"model {repo_id!r}: {f.name} does not match the hub's sha256 (corrupted download); "
                             f"run the command again")


def _timeout() -> float:
    try:
        return float(os.environ.get("HF_HUB_DOWNLOAD_TIMEOUT", "20"))
    except ValueError:
        return 20.0


def _gb(n: int) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e8 else f"{n / 1e6:.1f} MB"


def _disk_error(repo_id: str, where: Path, exc: OSError) -> ModelError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ModelError(f"model {repo_id!r}: the disk is full while writing {where.parent} "
                          f"(partial download kept, it resumes): free some space or set XDG_CACHE_HOME "
                          f"(or CODESEARCH_CACHE_DIR) to a larger disk, then run the command again")
    return ModelError(f"model {repo_id!r}: cannot write {where}: {exc.strerror or exc}")


def hub_error(repo_id: str, exc: BaseException) -> ModelError:
    """One line for what went wrong talking to the hub, what to do about it, and what works without it."""
    return ModelError(f"{_hub_problem(repo_id, exc)}; {obtain_hint(repo_id)}")


def _hub_problem(repo_id: str, exc: BaseException) -> str:
    """What went wrong talking to the hub and the fix for that one problem."""
    from huggingface_hub.errors import GatedRepoError, HfHubHTTPError, RepositoryNotFoundError, RevisionNotFoundError

    where = endpoint()
    if isinstance(exc, GatedRepoError):
        return (f"model {repo_id!r} is gated: accept its terms at {where}/{repo_id}, then log in with "
                f"`hf auth login` or set HF_TOKEN to an access token")
    if isinstance(exc, RevisionNotFoundError):
        return f"model {repo_id!r}: that revision does not exist on {where}"
    if isinstance(exc, RepositoryNotFoundError):
        return (f"model {repo_id!r} was not found on {where}: check the id (aliases: udever-560m, udever-1b1, "
                f"udever-3b, udever-7b1, minilm); if it is private, log in with `hf auth login` or set HF_TOKEN")
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if isinstance(exc, HfHubHTTPError) and status in (401, 403):
        return (f"model {repo_id!r}: the hub refused access (HTTP {status}): it is private or gated; "
                f"log in with `hf auth login` or set HF_TOKEN to a token that can read it")
    if isinstance(exc, HfHubHTTPError) and status == 404:
        return f"model {repo_id!r}: a file is missing on {where} (HTTP 404); check the id and revision"
    if isinstance(exc, HfHubHTTPError):
        return f"model {repo_id!r}: the hub answered HTTP {status}; try again later"
    if _is_timeout(exc):
        return (f"model {repo_id!r}: {where} did not answer in time (timeout after {_timeout():.0f}s); "
                f"check the connection, or raise HF_HUB_DOWNLOAD_TIMEOUT, and run the command again "
                f"(the download resumes)")
    return (f"model {repo_id!r}: cannot reach {where} ({type(exc).__name__}: {str(exc)[:120]}); check the "
            f"connection or proxy and run the command again (the download resumes)")


def _is_timeout(exc: BaseException) -> bool:
    import httpx2

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, (httpx2.TimeoutException, TimeoutError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
