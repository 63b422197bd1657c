"""Domain errors: each carries a one-line message the CLI prints as it is (exit 1).

Messages about a damaged or foreign index end with the fix (run `qa index --rebuild`).
"""


class QAError(Exception):
    """Base class: the message says what went wrong and what to do."""


class CorpusError(QAError):
    """The corpus folder is missing, empty, or has nothing readable in it."""


class IndexMissing(QAError):
    """No index has been built yet."""


class IndexCorrupt(QAError):
    """The index on disk cannot be read (damaged, foreign, or from an older version)."""


class IndexLocked(QAError):
    """Another process is building the index."""


class ServerUnavailable(QAError):
    """The Chroma server named by --chroma-url does not answer."""


class ServerError(QAError):
    """The Chroma server answered, but an operation on it failed (or what it holds is incomplete)."""
