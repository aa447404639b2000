"""Which index folders we believe: only those this user wrote on this machine.

A cloned repository can carry a crafted `.codesearch/`. So every folder we create holds a trust
record (trust.json) with an HMAC, under a per-user secret (0600, in the user config folder), over
the folder's identity: a random index id, its root and its own path. The vector sidecar carries an
HMAC too. Without the secret neither can be forged, so a folder whose record does not verify is
never read: writers set it aside (kept, never deleted) and build a new one; readers refuse it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from codesearch.errors import CodesearchError, UntrustedIndexError
from codesearch.store.safefiles import (TEMP_PATTERN, atomic_write_text, check_entry, create_exclusive, read_bytes,
                                       read_text)
from codesearch.store.names import CATALOG_NAME, FOLDER_ENTRIES, TRUST_NAME


SECRET_NAME = "secret"
SECRET_BYTES = 32
_secrets: dict[str, bytes] = {}


def config_dir() -> Path:
    """The user's codesearch config folder ($XDG_CONFIG_HOME/codesearch, else ~/.config/codesearch)."""
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    return (Path(base) if os.path.isabs(base) else Path.home() / ".config") / "codesearch"


def _private_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = check_entry(folder, "dir", missing_ok=False)
    if st is not None and st.st_mode & 0o077:
        os.chmod(folder, 0o700)


def user_secret() -> bytes:
    """This user's secret key, created on first use (32 random bytes, mode 0600)."""
    folder = config_dir()
    path = folder / SECRET_NAME
    cached = _secrets.get(str(path))
    if cached is not None:
        return cached
    try:
        _private_folder(folder)
        fd = create_exclusive(path, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(SECRET_BYTES))
            fh.flush()
            os.fsync(fh.fileno())
    except FileExistsError:
        pass
    except OSError as exc:
        raise CodesearchError(f"cannot create the codesearch key {path} ({exc.strerror}): "
                              "set XDG_CONFIG_HOME to a folder you can write") from None
    st = check_entry(path, "file", missing_ok=False)
    if st is not None and stat.S_IMODE(st.st_mode) & 0o077:
        raise UntrustedIndexError(f"{path} is readable by others (mode {stat.S_IMODE(st.st_mode):o}): "
                                  f"run `chmod 600 {path}`")
    secret = read_bytes(path, 4096)
    if len(secret) < SECRET_BYTES:
        raise UntrustedIndexError(f"{path} is too short to be a codesearch secret: remove it to make a new one")
    _secrets[str(path)] = secret
    return secret


def mac(kind: str, payload: object) -> str:
    """HMAC-SHA256 under the user's secret of a kind tag and canonical JSON."""
    message = kind.encode() + b"\0" + json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(user_secret(), message, hashlib.sha256).hexdigest()


def new_index_id() -> str:
    return os.urandom(16).hex()


@dataclass(frozen=True)
class TrustRecord:
    """What a verified trust record vouches for."""

    index_id: str
    root: Path


def _identity(folder: Path, index_id: str, root: Path) -> dict:
    return {"folder": str(folder), "index_id": index_id, "root": str(root)}


def seal_folder(folder: Path, index_id: str, root: Path, as_path: Path | None = None) -> None:
    """Write the trust record of a folder we just created (for as_path: a rebuild made beside it)."""
    identity = _identity(as_path or folder, index_id, root)
    record = {"version": 1, **identity, "created_at": round(time.time(), 3), "mac": mac("folder", identity)}
    atomic_write_text(folder / TRUST_NAME, json.dumps(record), mode=0o600)


def check_entries(folder: Path) -> None:
    """Refuse a folder that is a link, or that holds a link or odd file under a name we use."""
    check_entry(folder, "dir", missing_ok=False)
    for name, kind in FOLDER_ENTRIES.items():
        check_entry(folder / name, kind)


def _tighten(path: Path, mode: int) -> bool:
    """Set path (never a link) to mode when group or others can write it: True when it was changed. By path, never
    through an fd: closing an fd on the catalog would drop SQLite's locks on it in this process."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:  # (a state file removed meanwhile)
        return False
    if stat.S_ISLNK(st.st_mode) or not stat.S_IMODE(st.st_mode) & 0o022:
        return False
    os.chmod(path, mode)
    return True


def secure_modes(folder: Path) -> None:
    """Set a verified index folder that group or others can write back to 0700 and its files to 0600, saying so in
    one line: another local user could rewrite the catalog in place (its owner stays this user). The folder goes
    first, so nobody else swaps a file for a link meanwhile. UntrustedIndexError when it cannot be set back (a
    read-only mount)."""
    if os.name != "posix":
        return
    fixed = []
    for path, mode in [(folder, 0o700), *((folder / name, 0o600) for name, kind in FOLDER_ENTRIES.items()
                                         if kind == "file" and os.path.lexists(folder / name))]:
        try:
            if _tighten(path, mode):
                fixed.append(path.name)
        except OSError as exc:
            raise UntrustedIndexError(f"{path} is writable by other users and cannot be set back ({exc.strerror}): "
                                      f"run `chmod -R go-w {folder}` as its owner, then the command again") from None
    if fixed:
        print(f"codesearch: warning: {folder} was writable by other users ({', '.join(fixed)}): set the folder back to "
              "0700 and its files to 0600; if someone else could log in here, rebuild it with `codesearch index "
              "--rebuild`", file=sys.stderr)


def verify_folder(folder: Path, root: Path | None = None) -> TrustRecord:
    """The folder's verified record; UntrustedIndexError (saying why) when it is not ours."""
    check_entries(folder)
    try:
        record = json.loads(read_text(folder / TRUST_NAME, 64 * 1024))
    except FileNotFoundError:
        raise UntrustedIndexError(f"{folder} has no trust record (it was not written by codesearch "
                                  "for this user on this machine)") from None
    except ValueError:
        raise UntrustedIndexError(f"{folder / TRUST_NAME} is not valid JSON") from None
    fields = ("index_id", "root", "folder", "mac")
    if not isinstance(record, dict) or not all(isinstance(record.get(f), str) for f in fields):
        raise UntrustedIndexError(f"{folder / TRUST_NAME} is not a codesearch trust record")
    identity = _identity(folder, record["index_id"], Path(record["root"]))
    if not hmac.compare_digest(mac("folder", identity), record["mac"]):
        raise UntrustedIndexError(f"{folder} was not written by codesearch for this user on this machine, "
                                  "or it was moved (its trust record does not verify)")
    if root is not None and Path(record["root"]) != root:
        raise UntrustedIndexError(f"{folder} was written for {record['root']}, not {root}")
    return TrustRecord(record["index_id"], Path(record["root"]))


def moved_record(folder: Path) -> TrustRecord | None:
    """The record of a folder this user wrote for another path (the repository was moved or renamed):
    its MAC verifies over the folder and root it names. None when it is not ours at all."""
    try:
        check_entries(folder)
        record = json.loads(read_text(folder / TRUST_NAME, 64 * 1024))
    except (OSError, ValueError, CodesearchError):
        return None
    fields = ("index_id", "root", "folder", "mac")
    if not isinstance(record, dict) or not all(isinstance(record.get(f), str) for f in fields):
        return None
    identity = _identity(Path(record["folder"]), record["index_id"], Path(record["root"]))
    if not hmac.compare_digest(mac("folder", identity), record["mac"]):
        return None
    return TrustRecord(record["index_id"], Path(record["root"]))


def foreign_entries(folder: Path) -> list[str]:
    """The names in folder that no index writes (sorted): a folder holding any is the user's, never set aside."""
    return sorted(name for name in os.listdir(folder)
                  if name not in FOLDER_ENTRIES and not TEMP_PATTERN.match(name)
                  and not (name.startswith(CATALOG_NAME) and ".damaged-" in name))


def set_aside(folder: Path, why: str) -> Path:
    """Rename an untrusted folder (or link) out of the way, keeping it; say so on one line."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder.with_name(f"{folder.name}.untrusted-{stamp}")
    n = 1
    while os.path.lexists(target):
        target = folder.with_name(f"{folder.name}.untrusted-{stamp}-{n}")
        n += 1
    os.rename(folder, target)
    print(f"codesearch: warning: {why}; it was not read, moved it to {target} and building a new index",
          file=sys.stderr)
    return target


def seal_sidecar(index_id: str, sidecar: dict) -> str:
    """The HMAC that vouches for a vector file's sidecar (size, checksum, generation...)."""
    return mac("vectors", {"index_id": index_id, **{k: v for k, v in sidecar.items() if k != "mac"}})


def sidecar_verifies(index_id: str, sidecar: dict) -> bool:
    given = sidecar.get("mac")
    return isinstance(given, str) and hmac.compare_digest(seal_sidecar(index_id, sidecar), given)
