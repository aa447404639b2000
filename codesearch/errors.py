"""One error hierarchy, so every surface can show a failure as one clear line."""


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


class ServerRunningError(CodesearchError):
    """A warm server already answers for this index: a second one would take its socket away."""
