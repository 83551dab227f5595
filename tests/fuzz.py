"""Coverage-guided fuzzing of the whole pipeline with atheris (libFuzzer); not part of the suite.

Hypothesis (tests/test_properties.py) tries the inputs its strategies describe; atheris grows its
own from whatever reaches code not reached before, and so finds inputs nobody thought to describe.
Each input is a raw dump, its first byte naming it `.md` (odd) or `.txt` (even): it must be cleaned,
into a TEI that `pipeline verify` proves and tei_all accepts, or refused with a one-line reason,
exactly as the properties ask.

    .venv/bin/pip install -e '.[dev,fuzz]'
    .venv/bin/python tests/fuzz.py -max_total_time=600 -max_len=4096 build/fuzz-corpus

A failure stops the run and leaves the input as crash-<sha1>; once it is fixed, make it a case in
tests/cases/ or tests/test_hostile.py.
"""

from __future__ import annotations

import sys


def main() -> None:
    import atheris  # imported here: the suite reads this module for doctests without the extra

    with atheris.instrument_imports():
        from test_properties import proved

    def one_input(data: bytes) -> None:
        proved(data[1:], "d.md" if data[:1] and data[0] % 2 else "d.txt")

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
