"""A loopback Hugging Face hub: enough of the protocol for the installed huggingface_hub, on 127.0.0.1.

Serves model repositories from local folders: repo info with file metadata
(`/api/models/{repo}/revision/{rev}`), the tree listing, and `resolve` downloads with ETag,
X-Repo-Commit, Content-Length, Range (206) and a redirect to a CDN path for LFS files, as the real
hub does. Each repository can misbehave on purpose (404, gated 403, plain 403, a connection dropped
halfway, a stall) and every request is logged, so tests can prove what was or was not asked.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

LFS_SUFFIXES = (".bin", ".safetensors")


@dataclass
class Repo:
    """One repository: its files, its commit, and how it should misbehave."""

    folder: Path
    mode: str = "ok"  # ok | missing | gated | forbidden
    licence: str | None = "bigscience-bloom-rail-1.0"
    extra_files: dict[str, bytes] = field(default_factory=dict)  # README.md etc., never to be fetched
    drop_once: set[str] = field(default_factory=set)  # files whose first GET stops halfway
    stall_seconds: float = 0.0  # delay before answering a resolve request
    report_sizes: bool = True
    commit: str = "0123456789abcdef0123456789abcdef01234567"

    def files(self) -> dict[str, bytes]:
        found = {p.name: p.read_bytes() for p in sorted(self.folder.iterdir()) if p.is_file()}
        return {**found, **self.extra_files}


class LoopbackHub:
    """The server, its repositories and its request log; start() and stop() it around a test."""

    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.log: list[tuple[str, str, str | None]] = []  # (method, path, Range header)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def requests(self) -> int:
        with self._lock:
            return len(self.log)

    def gets(self, filename: str) -> list[str | None]:
        """The Range header of each GET of a resolve URL for filename."""
        with self._lock:
            # an LFS file is fetched where the resolve URL redirects (the CDN); count those GETs only
            cdn = filename.endswith(LFS_SUFFIXES)
            return [r for m, p, r in self.log
                    if m == "GET" and p.endswith("/" + filename) and (p.startswith("/cdn/") or not cdn)]

    def start(self) -> "LoopbackHub":
        hub = self

        class Handler(_Handler):
            owner = hub

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class _Handler(BaseHTTPRequestHandler):
    owner: LoopbackHub
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._handle(head=True)

    def do_GET(self) -> None:
        self._handle(head=False)

    def _handle(self, head: bool) -> None:
        path = unquote(urlparse(self.path).path)
        with self.owner._lock:
            self.owner.log.append((self.command, path, self.headers.get("Range")))
        parts = path.strip("/").split("/")
        if parts[:2] == ["api", "models"]:
            return self._api(parts[2:])
        if parts and parts[0] == "cdn":
            return self._file(f"{parts[1]}/{parts[2]}", parts[3], "/".join(parts[4:]), head, redirected=True)
        if len(parts) >= 5 and parts[2] == "resolve":
            return self._file(f"{parts[0]}/{parts[1]}", parts[3], "/".join(parts[4:]), head, redirected=False)
        self._error(404, "EntryNotFound", "no such route")

    def _repo(self, repo_id: str) -> Repo | None:
        repo = self.owner.repos.get(repo_id)
        if repo is None or repo.mode == "missing":
            self._error(404, "RepoNotFound", "Repository not found")
            return None
        if repo.mode == "gated":
            self._error(403, "GatedRepo", "Access to this repo is restricted; you must accept its conditions")
            return None
        if repo.mode == "forbidden":
            self._error(403, None, "Forbidden")
            return None
        return repo

    def _api(self, parts: list[str]) -> None:
        repo_id = "/".join(parts[:2])
        repo = self._repo(repo_id)
        if repo is None:
            return
        files = repo.files()
        siblings = []
        for name, data in files.items():
            entry: dict = {"rfilename": name}
            if repo.report_sizes:
                entry.update(size=len(data), blobId=hashlib.sha1(data).hexdigest())
                if name.endswith(LFS_SUFFIXES):
                    entry["lfs"] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "pointerSize": 134}
            siblings.append(entry)
        if len(parts) > 2 and parts[2] == "tree":
            body = [{"type": "file", "path": s["rfilename"], "size": s.get("size", 0), "oid": s.get("blobId", "")}
                    for s in siblings]
        else:
            body = {"id": repo_id, "modelId": repo_id, "sha": repo.commit, "private": False, "gated": False,
                    "siblings": siblings, "tags": [f"license:{repo.licence}"] if repo.licence else [],
                    "cardData": {"license": repo.licence} if repo.licence else {}}
        self._send(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    def _file(self, repo_id: str, revision: str, name: str, head: bool, redirected: bool) -> None:
        repo = self._repo(repo_id)
        if repo is None:
            return
        data = repo.files().get(name)
        if data is None or revision not in ("main", repo.commit):
            return self._error(404, "EntryNotFound", f"{name} not found")
        if repo.stall_seconds:
            time.sleep(repo.stall_seconds)
        lfs = name.endswith(LFS_SUFFIXES)
        etag = hashlib.sha256(data).hexdigest() if lfs else hashlib.sha1(data).hexdigest()
        headers = {"ETag": f'"{etag}"', "X-Repo-Commit": repo.commit, "Accept-Ranges": "bytes"}
        if lfs and not redirected:  # the real hub sends LFS files from a CDN
            headers.update({"Location": f"/cdn/{repo_id}/{revision}/{name}", "X-Linked-Etag": f'"{etag}"',
                            "X-Linked-Size": str(len(data))})
            return self._send(302, b"", headers, head)
        status, body = 200, data
        wanted = self.headers.get("Range")
        if wanted and wanted.startswith("bytes="):
            start = int(wanted[6:].split("-")[0])
            if start >= len(data):
                return self._send(416, b"", {"Content-Range": f"bytes */{len(data)}"}, head)
            status, body = 206, data[start:]
            headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        if not head and name in repo.drop_once:
            repo.drop_once.discard(name)
            return self._drop(status, body, headers)
        self._send(status, body, headers, head)

    def _drop(self, status: int, body: bytes, headers: dict) -> None:
        """Promise the whole body, send half of it, and hang up."""
        self.send_response(status)
        for k, v in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.close_connection = True

    def _error(self, status: int, code: str | None, message: str) -> None:
        headers = {"Content-Type": "application/json", "X-Error-Message": message}
        if code:
            headers["X-Error-Code"] = code
        self._send(status, json.dumps({"error": message}).encode(), headers, self.command == "HEAD")

    def _send(self, status: int, body: bytes, headers: dict, head: bool = False) -> None:
        self.send_response(status)
        for k, v in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(k, v)
        self.end_headers()
        if not head and body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                self.close_connection = True
