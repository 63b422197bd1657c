"""qa: offline question answering over policy documents, with paragraph citations."""

__version__ = "0.1.0"
