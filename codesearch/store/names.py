"""The index folder's file names, in one place: every reader and writer (and the trust check) uses these."""

CATALOG_NAME = "catalog.sqlite"
INDEX_NAME = "vectors.hnsw"
SIDECAR_NAME = "vectors.json"
LOCK_NAME = "writer.lock"
REBUILD_LOCK_NAME = "rebuild.lock"  # one rebuild at a time, even beside a watcher that holds writer.lock
TRUST_NAME = "trust.json"
SERVER_STATE = "server.json"
WATCH_STATE = "watch.json"
SOCKET_NAME = "server.sock"
SERVER_STARTING = "server.starting"  # a background server is on its way: do not start another
SERVER_LOG = "server.log"
IGNORE_FILE = ".gitignore"

# what an index folder may hold, and of which kind; anything of another kind makes it untrusted
FOLDER_ENTRIES = {
    CATALOG_NAME: "file", CATALOG_NAME + "-wal": "file", CATALOG_NAME + "-shm": "file",
    INDEX_NAME: "file", SIDECAR_NAME: "file", LOCK_NAME: "file", REBUILD_LOCK_NAME: "file", IGNORE_FILE: "file",
    SERVER_STATE: "file", WATCH_STATE: "file", TRUST_NAME: "file", SOCKET_NAME: "socket",
    SERVER_STARTING: "file", SERVER_LOG: "file",
}
