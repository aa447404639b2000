"""One error hierarchy, so every surface can show a failure as one clear line."""

import errno

FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}  # a full disk, a quota, a file-size limit (ulimit -f)
SQLITE_FULL, SQLITE_IOERR_WRITE = 13, 778  # SQLite's own codes for them (a write past EFBIG/EDQUOT is IOERR_WRITE)


class CodesearchError(Exception):
    """A failure the user can act on; the message says what, where, and what to do."""

    exit_code = 2  # as grep: 1 says only that nothing matched (an error read as "no results": probe 172)


class UsageError(CodesearchError):
    """Bad input from the user (a missing path, an unknown option value)."""

    exit_code = 2


class NoIndexError(CodesearchError):
    """No index exists where one was needed."""

    exit_code = 2


class ModelError(CodesearchError):
    """A model cannot be resolved, loaded, or is not what it claims to be."""


class IndexLockedError(CodesearchError):
    """Another live process holds the writer lock."""


class IndexMismatchError(CodesearchError):
    """The index was built with a different model than the one asked for."""


class UntrustedIndexError(CodesearchError):
    """An index folder (or a file in it) this user did not write here: it is never read."""


class IndexDataError(CodesearchError):
    """A value in the catalog, a sidecar or a state file that cannot be right."""


class BundleError(CodesearchError):
    """An embedding bundle that is damaged, truncated, or made for another model."""


class StorageError(CodesearchError):
    """The disk under an index is full or read-only: nothing committed was lost."""


class NewerIndexError(CodesearchError):
    """An index written by a newer codesearch: never read or rewritten in an older schema."""


def storage_kind(exc: BaseException) -> str | None:
    """'full' when exc says the disk, a quota or a file-size limit stopped a write, 'read-only' when the place
    cannot be written at all, else None: so callers say what happened instead of "damaged"."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if code in FULL_ERRNOS or getattr(exc, "sqlite_errorcode", None) in (SQLITE_FULL, SQLITE_IOERR_WRITE) \
            or any(words in text for words in ("disk is full", "no space left", "quota exceeded", "file too large")):
        return "full"
    if code in (errno.EROFS, errno.EACCES) or "readonly database" in text or "read-only file system" in text:
        return "read-only"
    return None


class ServerRunningError(CodesearchError):
    """A warm server already answers for this index: a second one would take its socket away."""
