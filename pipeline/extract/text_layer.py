"""`verify` for a file of pages: the text layer extracted again from the original is the one the
TEI was made from, before the change log is replayed onto it."""

from __future__ import annotations

import hashlib

from pipeline.extract import facsimile


def check(document, src) -> list:
    """No check for a text dump; for pages, one: the re-extracted text layer's checksum against
    the header's (the replay that follows then rebuilds this very text layer, byte for byte)."""
    recorded = facsimile.recorded_text_layer(document)
    if src.original is None and recorded is None:
        return []
    from pipeline.verify import Check  # verify imports this module
    if src.original is None:
        return [Check("text layer", False, "the TEI was made from a file of pages, but the raw "
                                            "file is read as a text dump now")]
    again = hashlib.sha256(src.data).hexdigest()
    return [Check("text layer", recorded == again,
                  f"extracted again from {src.original.description}: {len(src.data)} bytes, "
                  f"sha256 {again}; header {recorded}")]
