"""The README's two commands are the ones CI runs and the ones that work."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    start = readme.split("## Start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", start, flags=re.S)


def test_the_readme_starts_with_exactly_two_commands():
    run, test = _start_commands()
    assert run.endswith("yangguang serve --demo")
    assert test.endswith("pytest")


def test_ci_runs_the_readme_test_command_word_for_word():
    ci = (ROOT / ".ci" / "run").read_text()
    command = re.search(r'^TEST_COMMAND="(.+)"$', ci, flags=re.M).group(1)
    assert command == _start_commands()[1]
