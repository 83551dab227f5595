"""The repair stages, in the order they run.

Pages come right after encoding: running heads and form feeds sit between the halves of
sentences, and every later stage should see the text as if the pages were one. Layout (plain-text
dumps only) then gives the text the block structure markdown would have written, so that links,
breaks and headings work on both kinds alike. Links come before breaks because a link cut apart by
a break is only recognisable while the break is still there; headings come after breaks so that a join never has to reason about a heading that
is about to become a paragraph (the fragment-heading rule makes its own join).
"""

from pipeline.stages import breaks, encoding, headings, layout, links, pages, structure

STAGES = (encoding, pages, layout, links, breaks, headings, structure)
NAMES = tuple(stage.NAME for stage in STAGES)


def directory(name: str) -> str:
    """The build folder of a stage: `04-links`, numbered so that a listing shows the order."""
    return f"{NAMES.index(name) + 1:02d}-{name}"
