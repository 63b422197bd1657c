"""The CLI as a new user meets it: help for every command and option, versions, env vars named in
errors and documented, shell completion. No index needed: all of this happens before one is opened.

Modelled on sqlite-utils' tests/test_docs.py: walk every command and option and fail on a missing
or truncated help.
"""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from qa import settings
from qa.cli import ask, qa

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# `qa --help` lists each command's short help in the room left of 78 columns by the longest name.
SHORT_HELP_ROOM = 78 - 6 - max(len(name) for name in qa.commands)
OPTION_HELP_CHARS = 100


def commands() -> list[tuple[str, click.Command]]:
    return [("ask", ask)] + [(f"qa {name}", command) for name, command in sorted(qa.commands.items())]


def options(command: click.Command) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option) and not p.hidden]


@pytest.mark.parametrize("name, command", commands(), ids=[n for n, _ in commands()])
def test_every_command_has_a_whole_one_line_short_help(name, command):
    short = command.get_short_help_str(limit=SHORT_HELP_ROOM)
    assert short and not short.endswith("..."), (name, short)
    assert "\n" not in short
    assert command.help, name


def test_qa_help_lists_every_command_untruncated(runner):
    result = runner.invoke(qa, ["--help"])
    assert result.exit_code == 0
    listing = result.stdout.split("Commands:")[1]
    assert "..." not in listing
    for name, command in qa.commands.items():
        line = next(line for line in result.stdout.splitlines() if line.strip().startswith(f"{name} "))
        assert line.split(None, 1)[1] == command.get_short_help_str(limit=SHORT_HELP_ROOM), line


@pytest.mark.parametrize("name, command", commands(), ids=[n for n, _ in commands()])
def test_every_option_has_one_line_help_ranges_and_env_vars(name, command):
    for option in options(command):
        label = f"{name} {option.opts[-1]}"
        assert option.help, f"{label} has no help"
        assert "\n" not in option.help and len(option.help) <= OPTION_HELP_CHARS, label
        if isinstance(option.type, (click.types.IntParamType, click.types.FloatParamType)):
            assert isinstance(option.type, (click.IntRange, click.FloatRange)), f"{label} shows no range"
        if option.envvar:
            assert option.show_envvar, f"{label} hides its env var"


@pytest.mark.parametrize("name, command", commands(), ids=[n for n, _ in commands()])
def test_every_argument_is_described_in_its_help(name, command):
    for argument in (p for p in command.params if isinstance(p, click.Argument)):
        assert argument.name.upper() in command.help, (name, argument.name)


def test_help_shows_ranges_choices_and_env_vars(runner):
    flat = " ".join(runner.invoke(ask, ["--help"]).stdout.split())
    top_k = "How many paragraphs to retrieve and cite. [env var: QA_TOP_K; default: 5; 1<=x<=100]"
    assert f"-k, --top-k INTEGER RANGE {top_k}" in flat
    assert "--format [text|markdown|json]" in flat
    assert "[env var: QA_CORPUS_DIR]" in flat and "[env var: QA_INDEX_DIR]" in flat
    assert "[env var: QA_CHROMA_URL]" in flat and "QA_LLM_URL" in flat
    evals = " ".join(runner.invoke(qa, ["eval", "--help"]).stdout.split())
    assert "--split [dev|test|all] Which questions of the set: dev (tuned on), test (reported only), or all." in evals
    show = " ".join(runner.invoke(qa, ["show", "--help"]).stdout.split())
    assert "--around N Also show N records before and after. [default: 0; 0<=x<=50]" in show


def test_ask_and_qa_print_the_same_version(runner):
    expected = f"qa {importlib.metadata.version('qa')}\n"
    assert runner.invoke(ask, ["--version"]).stdout == expected
    assert runner.invoke(qa, ["--version"]).stdout == expected
    assert runner.invoke(qa, ["ask", "--version"]).stdout == expected


def test_qa_ask_is_ask(runner):
    assert qa.commands["ask"] is ask
    assert runner.invoke(qa, ["ask", "--help"]).stdout.replace("qa ask", "ask") == runner.invoke(ask, ["--help"]).stdout


def usage_error(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return next(line for line in result.stderr.splitlines() if line.startswith("Error:"))


def test_a_bad_env_var_is_named_in_the_error(runner):
    line = usage_error(runner.invoke(ask, ["how many TLOs?"], env={"QA_TOP_K": "0"}))
    assert line == ("Error: Invalid value for QA_TOP_K (the environment variable for '-k' / '--top-k'): "
                    "0 is not in the range 1<=x<=100.")
    line = usage_error(runner.invoke(qa, ["ask", "how many TLOs?"], env={"QA_TOP_K": "many"}))
    assert line.startswith("Error: Invalid value for QA_TOP_K (the environment variable for '-k' / '--top-k'): ")
    line = usage_error(runner.invoke(ask, ["-k", "0", "how many TLOs?"], env={"QA_TOP_K": "3"}))
    assert line == "Error: Invalid value for '-k' / '--top-k': 0 is not in the range 1<=x<=100."
    line = usage_error(runner.invoke(qa, ["index"], env={"QA_CHROMA_URL": "http://:abc"}))
    assert line.startswith("Error: Invalid value for QA_CHROMA_URL (the environment variable for '--chroma-url'): ")
    assert "not a Chroma server URL" in line


def test_a_bad_config_value_names_the_file(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = tmp_path / "qa" / "config.toml"
    path.parent.mkdir()
    path.write_text("top_k = 500\n", encoding="utf-8")
    line = usage_error(runner.invoke(ask, ["how many TLOs?"]))
    assert line == (f"Error: Invalid value for 'top_k' in {path} (the setting for '-k' / '--top-k'): "
                    "500 is not in the range 1<=x<=100.")
    for text, needle in [("top_k = 'five'\n", f"'top_k' in the config file {path} must be an integer"),
                         ("topk = 5\n", f"unknown setting 'topk' in the config file {path} (known: corpus,"),
                         ("top_k = \n", f"the config file {path} is not valid TOML")]:
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(ask, ["how many TLOs?"])
        assert result.exit_code == 1 and needle in result.stderr, (text, result.output)


def env_vars_read_by_qa() -> set[str]:
    """Every QA_* and XDG_* name in the package source: each is something a command reads."""
    names = set()
    for path in (ROOT / "qa").rglob("*.py"):
        names |= set(re.findall(r"\b((?:QA|XDG)_[A-Z_]+)\b", path.read_text(encoding="utf-8")))
    return names


def test_every_env_var_is_in_the_readme_and_the_help(runner):
    names = env_vars_read_by_qa()
    assert {"QA_CORPUS_DIR", "QA_INDEX_DIR", "QA_CHROMA_URL", "QA_TOP_K", "QA_LLM_URL", "QA_LLM_API_KEY",
            "QA_DEBUG", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"} <= names
    helps = runner.invoke(ask, ["--help"]).stdout + runner.invoke(qa, ["--help"]).stdout
    for name in names:
        assert f"`{name}" in README or f"{name}`" in README, f"{name} is not in the README"
        assert name in helps, f"{name} is not in `ask --help` / `qa --help`"
    for label, _command in commands():  # the variables no option names end every command's help
        args = label.split()[1:] + ["--help"]
        shown = CliRunner().invoke(ask if label == "ask" else qa, args).stdout
        for name in settings.OTHER_ENV:
            assert name in shown, (label, name)
    for setting in settings.SETTINGS:  # and each option's env var is shown on every command that has it
        for label, command in commands():
            for option in options(command):
                if getattr(option, "setting", None) is setting:
                    assert option.envvar == setting.env and option.show_envvar, label


@pytest.mark.parametrize("prog, command", [("qa", qa), ("ask", ask)])
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_scripts_and_readme(prog, command, shell):
    variable = f"_{prog.upper()}_COMPLETE"
    result = CliRunner().invoke(command, [], prog_name=prog, env={variable: f"{shell}_source"})
    assert result.exit_code == 0, result.output
    assert f"{variable}={shell}_complete" in result.stdout or f"{variable}={shell}_complete" in \
        result.stdout.replace("env ", ""), result.stdout[:300]
    assert f"{variable}={shell}_source {prog}" in README


def test_completion_completes_commands_and_choices():
    result = CliRunner().invoke(qa, [], prog_name="qa",
                                env={"_QA_COMPLETE": "bash_complete", "COMP_WORDS": "qa ind", "COMP_CWORD": "1"})
    assert result.stdout.split() == ["plain,index", "plain,indexes"]
    result = CliRunner().invoke(ask, [], prog_name="ask",
                                env={"_ASK_COMPLETE": "bash_complete", "COMP_WORDS": "ask --format m",
                                     "COMP_CWORD": "2"})
    assert result.stdout.split() == ["plain,markdown"]


def test_llm_url_default_is_the_llm_modules():
    from qa import cli, llm

    assert cli.LLM_URL == llm.DEFAULT_URL
