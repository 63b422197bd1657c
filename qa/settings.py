"""The settings a user can choose, and where each value comes from: flag, env var, config file, default.

Each setting is one option on the commands that use it, with its env var; the config file
(`~/.config/qa/config.toml`, or under `$XDG_CONFIG_HOME`) sets the same names:

    corpus = "~/papers"          # a relative path is read from the config file's folder
    top_k = 8
    chroma_url = "http://chroma-host:8000"

A flag beats its env var, which beats the config file, which beats the default (click's own
order for `default_map`, so `ctx.get_parameter_source` tells which one won). `qa config` shows
the outcome. Nothing here imports click or more than the standard library.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from qa import config, locations
from qa.errors import QAError


@dataclass(frozen=True)
class Setting:
    key: str  # the config-file key
    param: str  # the click parameter it fills
    flag: str
    env: str | None
    kind: type  # what the config file must hold
    is_path: bool = False


SETTINGS = (
    Setting("corpus", "corpus_dir", "--corpus", config.ENV_CORPUS_DIR, str, is_path=True),
    Setting("index_dir", "index_dir", "--index-dir", config.ENV_INDEX_DIR, str, is_path=True),
    Setting("chroma_url", "chroma_url", "--chroma-url", config.ENV_CHROMA_URL, str),
    Setting("top_k", "top_k", "--top-k", config.ENV_TOP_K, int),
    Setting("llm_url", "llm_url", "--llm-url", "QA_LLM_URL", str),
)
BY_KEY = {s.key: s for s in SETTINGS}
BY_PARAM = {s.param: s for s in SETTINGS}

# Environment variables read outside any option, each with what it does (shown in `--help` and the README).
OTHER_ENV = {
    "QA_LLM_API_KEY": "API key sent to the --llm-url server, if it needs one",
    "QA_EMBED_PRECISION": "index-time embedding: bf16, fp32 or auto (bf16 for big builds on CPUs with bf16 hardware)",
    "QA_DEBUG": "set to 1 to see a traceback instead of a one-line error",
    "XDG_DATA_HOME": "indexes live in $XDG_DATA_HOME/qa/indexes (default ~/.local/share)",
    "XDG_CONFIG_HOME": "the config file is $XDG_CONFIG_HOME/qa/config.toml (default ~/.config)",
    "XDG_CACHE_HOME": "--chroma-url downloads go to $XDG_CACHE_HOME/qa/servers (default ~/.cache)",
}


def _read_toml(text: str) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib.loads(text)


def load_config(path: Path | None = None) -> dict:
    """The config file's settings by key (paths made absolute), or {} when there is no file.

    Raises QAError naming the file for a file that cannot be read, a syntax error, an unknown
    key or a value of the wrong type.
    """
    path = path or locations.config_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as err:
        raise QAError(f"cannot read the config file {path} ({getattr(err, 'strerror', None) or err})") from err
    try:
        data = _read_toml(text)
    except ValueError as err:
        raise QAError(f"the config file {path} is not valid TOML: {err}") from err
    out = {}
    for key, value in data.items():
        setting = BY_KEY.get(key)
        if setting is None:
            known = ", ".join(BY_KEY)
            raise QAError(f"unknown setting '{key}' in the config file {path} (known: {known})")
        if not isinstance(value, setting.kind) or isinstance(value, bool):
            kind = "an integer" if setting.kind is int else "a string"
            raise QAError(f"'{key}' in the config file {path} must be {kind}, not {value!r}")
        if setting.is_path:
            value = os.path.normpath(path.parent.absolute() / os.path.expanduser(value))
        out[key] = value
    return out


def default_map(params: list[str], path: Path | None = None) -> dict:
    """click's `default_map` for a command with these parameter names, from the config file."""
    values = load_config(path)
    return {BY_KEY[key].param: value for key, value in values.items() if BY_KEY[key].param in params}
