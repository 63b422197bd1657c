"""The click plumbing the commands share: settings-aware options, one-line errors, where the corpus is.

- `SettingOption`: an option backed by a setting (qa.settings). Its env var shows in `--help`, and a
  bad value names where it came from (`QA_TOP_K`, the config file), not only the flag;
- `SettingsCommand`: fills the options' defaults from the config file (click's `default_map`);
- `friendly`: library errors become one `Error:` line (exit 1), tracebacks only with QA_DEBUG=1;
- `resolve`: the corpus and index folder a command works on, and where each choice came from.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

import click
from click.core import ParameterSource

from qa import __version__, locations, settings
from qa.errors import QAError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
VERSION_MESSAGE = "qa %(version)s"


class SettingOption(click.Option):
    """An option filled by flag, env var, config file or default, in that order (see qa.settings)."""

    def __init__(self, *args, setting: str | None = None, **kwargs) -> None:
        self.setting = settings.BY_KEY[setting] if setting else None
        if self.setting is not None:
            kwargs.setdefault("envvar", self.setting.env)
        if kwargs.get("envvar"):
            kwargs.setdefault("show_envvar", True)
        super().__init__(*args, **kwargs)

    def get_error_hint(self, ctx: click.Context | None) -> str:
        flags = " / ".join(f"'{o}'" for o in self.opts)
        source = ctx.get_parameter_source(self.name) if ctx is not None and self.name else None
        if source is ParameterSource.ENVIRONMENT:
            return f"{self.envvar} (the environment variable for {flags})"
        if source is ParameterSource.DEFAULT_MAP and self.setting is not None:
            return f"'{self.setting.key}' in {locations.config_file()} (the setting for {flags})"
        return flags


def setting_option(*decls: str, **kwargs) -> Callable:
    return click.option(*decls, cls=SettingOption, **kwargs)


ENV_EPILOG = "\b\nOther environment variables:\n" + "\n".join(
    f"  {name:<16} {what}" for name, what in settings.OTHER_ENV.items()
)


class SettingsCommand(click.Command):
    """A command whose setting options default to the config file's values (and whose help ends
    with the environment variables no option names)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("epilog", ENV_EPILOG)
        super().__init__(*args, **kwargs)

    def make_context(self, info_name, args, parent=None, **extra):
        if "default_map" not in extra:
            params = [p.name for p in self.params if getattr(p, "setting", None) is not None]
            try:
                extra["default_map"] = settings.default_map(params)
            except QAError as err:
                raise click.ClickException(str(err)) from None
        return super().make_context(info_name, args, parent=parent, **extra)


def version_option(func: Callable) -> Callable:
    return click.version_option(__version__, "--version", message=VERSION_MESSAGE, help="Print the version and exit.")(
        func
    )


def friendly(func: Callable) -> Callable:
    """Turn library errors into one-line messages; keep tracebacks for QA_DEBUG=1."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except QAError as err:
            raise click.ClickException(str(err)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as err:  # the last line of defence: a message, not a traceback
            if os.environ.get("QA_DEBUG"):
                raise
            detail = f"{type(err).__name__}: {err}"
            raise click.ClickException(f"internal error: {detail} (set QA_DEBUG=1 for details)") from None

    return wrapper


def _check_url(_ctx, _param, value: str | None) -> str | None:
    if value:
        from qa.chroma import parse_url

        try:
            parse_url(value)
        except QAError as err:
            raise click.BadParameter(str(err)) from None
    return value


def location_options(func: Callable) -> Callable:
    """--corpus, --index-dir and --chroma-url, each also settable by env var and config file."""
    func = setting_option(
        "--chroma-url", setting="chroma_url", default=None, metavar="URL", callback=_check_url,
        help="Use the Chroma server at URL (http://HOST:PORT) instead of the local store.",
    )(func)
    func = setting_option(
        "--index-dir", setting="index_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
        metavar="DIR", help="Index folder (default: the corpus's own, see `qa config`).",
    )(func)
    func = setting_option(
        "--corpus", "corpus_dir", setting="corpus", type=click.Path(path_type=Path), default=None, metavar="DIR",
        help="Corpus folder (default: the bundled corpus/).",
    )(func)
    return func


def verbosity_options(func: Callable) -> Callable:
    func = click.option("-v", "--verbose", is_flag=True, help="Also say which files were parsed, skipped and why.")(
        func
    )
    quiet = "Print nothing on stderr but errors (and a note when --llm could not be used)."
    return click.option("-q", "--quiet", is_flag=True, help=quiet)(func)


NO_CORPUS = (
    "no corpus: pass --corpus DIR, set QA_CORPUS_DIR, or put `corpus = \"DIR\"` in {config} "
    "(`qa config` shows every setting)"
)


def source_of(name: str) -> str:
    """Where the current command's setting `name` (a parameter name) came from, in words."""
    ctx = click.get_current_context()
    source = ctx.get_parameter_source(name)
    setting = settings.BY_PARAM[name]
    if source is ParameterSource.COMMANDLINE:
        return f"flag {setting.flag}"
    if source is ParameterSource.ENVIRONMENT:
        return f"env {setting.env}"
    if source is ParameterSource.DEFAULT_MAP:
        return "config file"
    return "default"


@dataclass
class Where:
    corpus: Path | None
    index_dir: Path
    corpus_from: str
    index_from: str

    def lines(self) -> list[str]:
        corpus = str(self.corpus) if self.corpus else "(none)"
        return [f"corpus: {corpus} ({self.corpus_from})", f"index:  {self.index_dir} ({self.index_from})"]


def resolve(
    corpus_dir: Path | None,
    index_dir: Path | None,
    chroma_url: str | None = None,
    server_reader: bool = False,
    need_corpus: bool = True,
) -> Where:
    """The corpus (flag, env, config file, else the bundled one) and its index folder.

    `server_reader`: the command only reads a Chroma server's index (`ask --chroma-url`), which
    it downloads into a cache folder of its own unless --index-dir says where.
    """
    corpus_from = source_of("corpus_dir")
    if corpus_dir is not None:
        corpus_dir = Path(os.path.abspath(corpus_dir.expanduser()))
    index_from = source_of("index_dir")
    if index_dir is not None:
        index_dir = Path(os.path.abspath(index_dir.expanduser()))
    if corpus_dir is None and index_dir is not None:
        # `--index-dir X` alone means X's own corpus: rebuilding X from the bundled one would throw it away.
        recorded = locations.recorded_corpus(index_dir)
        if recorded is not None and recorded.is_dir():
            corpus_dir, corpus_from = recorded, f"the corpus {index_dir} was built from"
    if corpus_dir is None:
        corpus_dir = locations.bundled_corpus()
        corpus_from = "default: the bundled corpus" if corpus_dir else "none"
    if index_dir is None:
        if chroma_url and server_reader:
            from qa.chroma import cache_dir

            index_dir, index_from = cache_dir(chroma_url), "default: the download cache for the server"
        elif corpus_dir is not None:
            index_dir, index_from = locations.index_for(corpus_dir), "default: the corpus's own index"
    if index_dir is None or (corpus_dir is None and need_corpus and not (chroma_url and server_reader)):
        raise click.ClickException(NO_CORPUS.format(config=locations.config_file()))
    return Where(corpus_dir, index_dir, corpus_from, index_from)


def owns(where: Where) -> None:
    """Stop before building a corpus into another corpus's index folder named by env var or config file.

    A folder given with --index-dir is the user's choice for this run and is used; so is one whose
    recorded corpus is gone, or one that already holds exactly this corpus's files (a copied corpus
    with its copied index).
    """
    if where.corpus is None or not where.corpus.is_dir() or not where.index_from.startswith(("env", "config")):
        return
    owner = locations.foreign_owner(where.index_dir, where.corpus)
    if owner is None or _holds_files_of(where):
        return
    fix = ("unset QA_INDEX_DIR" if where.index_from.startswith("env")
           else f"remove index_dir from {locations.config_file()}")
    raise click.ClickException(
        f"the index folder {where.index_dir} ({where.index_from}) holds the index of another corpus ({owner}), "
        f"not of {where.corpus}; {fix} to give this corpus its own index, or pass --index-dir"
    )


def _holds_files_of(where: Where) -> bool:
    from qa.corpus import scan, warn_none
    from qa.store import open_generation

    opened = open_generation(where.index_dir)
    if opened is None:
        return False
    manifest = opened[1]
    indexed = {name: entry.get("sha256") for name, entry in manifest["files"].items()}
    indexed.update(manifest.get("skipped_files", {}))
    found = {f.name: f.sha256 for f in scan(where.corpus, warn_none).files}
    return bool(found) and found == indexed


def remember(where: Where) -> None:
    """Record in the index folder which corpus it holds (for `qa indexes` and the check above)."""
    if where.corpus is not None and where.corpus.is_dir():
        locations.record_corpus(where.index_dir, where.corpus)
