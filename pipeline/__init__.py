"""Clean raw text dumps into TEI P5, with a provenance note for every change."""

__version__ = "0.1.0"
