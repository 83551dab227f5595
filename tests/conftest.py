"""Shared fixtures: the TEI schema is compiled once per test session (it takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import process, source, tei

ROOT = Path(__file__).resolve().parent.parent


def clean(text: str | bytes, name: str = "dump.md", tmp: Path | None = None):
    """Run the whole pipeline on an in-memory dump; returns (result, TEI bytes)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    folder = tmp or Path("/nonexistent")
    result = process.repair(source.decode(folder / "raw" / name, data))
    return result, tei.write(result, folder / "clean" / f"{name.rsplit('.', 1)[0]}.tei.xml")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
