"""`make` as the README tells a user to run it, in a copy of the project with dumps of its own."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_folder_the_readme_lays_out_is_in_a_fresh_clone():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):readme.index("## Workflow")]
    folders = [line.split()[0] for line in layout.splitlines() if line.startswith("    ")
               and line.split()[0].endswith("/")]
    assert "review/" in folders
    tracked = subprocess.run(["git", "ls-files", *folders], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.splitlines()
    # build/ is what make writes; everything else comes with the clone
    assert {folder for folder in folders if folder != "build/"} == \
        {path.split("/")[0] + "/" for path in tracked}
