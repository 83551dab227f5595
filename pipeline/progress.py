"""Progress of a batch: a bar on a terminal, a plain line every so often anywhere else.

The bar counts bytes, not files, because time grows with size: the rate (MB/s) and the time left
then hold for a corpus of unequal files. A log (CI, `make`, a file) gets no bar's carriage
returns, only a line now and then. Messages (errors, warnings) go through `say`, so that they land
above the bar instead of through it.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm

from pipeline.batch import Outcome

MB = 1_000_000


class Progress:
    def __init__(self, files: int, total_bytes: int, stream: TextIO | None = None,
                 interval: float = 10.0) -> None:
        stream = stream or sys.stderr  # looked up now: it may have been replaced since import
        self.files, self.total, self.stream, self.interval = files, total_bytes, stream, interval
        self.done = self.failed = self.bytes = 0
        self.cleaned = 0  # bytes of the dumps cleaned (or failed) here: what the rate is of
        self.began = self.last = time.monotonic()
        # One dump needs no bar.
        # The bar's own rate and time left would follow the last few dumps (a small one done
        # just after a big one looks fast): it shows ours instead.
        self.bar = _Bar(total=total_bytes, unit="B", unit_scale=True, unit_divisor=1000,
                        file=stream, dynamic_ncols=True,
                        bar_format="pipeline: {percentage:3.0f}%|{bar}| {desc}") \
            if files > 1 and stream.isatty() else None

    def advance(self, outcome: Outcome) -> None:
        self.done += 1
        self.failed += outcome.status == "failed"
        self.bytes += outcome.bytes
        self.cleaned += outcome.bytes if outcome.status != "skipped" else 0
        if self.bar is not None:
            self.bar.set_description_str(self.line(), refresh=False)
            self.bar.update(outcome.bytes)
        elif self.files > 1 and time.monotonic() - self.last >= self.interval:
            self.last = time.monotonic()
            print(f"pipeline: {self.line()}", file=self.stream, flush=True)

    def say(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(message, file=self.stream)
        else:
            print(message, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.began, 1e-9)
        rate = self.cleaned / elapsed
        left = f", {_clock(self.left())} left" if self.left() is not None else ""
        return (f"{self._files()}, {self.bytes / MB:.1f}/{self.total / MB:.1f} MB, "
                f"{rate / MB:.2f} MB/s, {_clock(elapsed)} elapsed{left}")

    def left(self) -> float | None:
        """Seconds until the rest is done, at the rate of the bytes cleaned so far: time grows
        with size, not with the number of files, and an up-to-date dump takes no time at all."""
        rate = self.cleaned / max(time.monotonic() - self.began, 1e-9)
        if not rate or self.done >= self.files:
            return None
        return (self.total - self.bytes) / rate

    def _files(self) -> str:
        failed = f" ({self.failed} failed)" if self.failed else ""
        return f"{self.done}/{self.files} files{failed}"


class _Bar(tqdm):
    # No monitor thread (it only unsticks bars updated rarely; ours moves with every dump): a
    # process without threads can fork its pool's workers (`pipeline.engines`).
    monitor_interval = 0


def _clock(seconds: float) -> str:
    """Hours, minutes and seconds, as a person reads a duration.

    >>> _clock(3725.4)
    '1:02:05'
    """
    seconds = round(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
