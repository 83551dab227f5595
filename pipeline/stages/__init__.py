"""The repair stages, in the order they run.

Links come before breaks because a link cut apart by a break is only recognisable while the break
is still there; headings come after breaks so that a join never has to reason about a heading that
is about to become a paragraph (the fragment-heading rule makes its own join).
"""

from pipeline.stages import breaks, encoding, headings, links, structure

STAGES = (encoding, links, breaks, headings, structure)
NAMES = tuple(stage.NAME for stage in STAGES)


def directory(name: str) -> str:
    """The build folder of a stage: `02-links`, numbered so that a listing shows the order."""
    return f"{NAMES.index(name) + 1:02d}-{name}"
