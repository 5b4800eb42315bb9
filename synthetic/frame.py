"""What every step of the generator is handed: the parameters, their time span, the dice.

A generated network is a pure function of (people, seed, noise, as_of, body_bytes). All
randomness comes from one `random.Random(seed)` inside `Dice`, drawn by the steps in a
fixed order (people, then LinkedIn, then mail, then mbox padding). A step that draws one
value more or less, or in another order, changes every byte after it: that is why the
steps are run in sequence and why there is no clock and no set iteration in output order.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from random import Random

DAY = 86_400  # seconds


@dataclass(frozen=True)
class Frame:
    """One network's parameters and the six years before `as_of` its events fall in."""

    people: int
    seed: int
    noise: float  # clamped to [0, 1]
    as_of: date
    body_bytes: int  # clamped to >= 0

    @cached_property
    def end(self) -> int:
        """as_of at 00:00 UTC in epoch seconds; every event is strictly before it."""
        return calendar.timegm(self.as_of.timetuple())

    @cached_property
    def start(self) -> int:
        """Six years (of 365 days) before `end`."""
        return self.end - 6 * 365 * DAY


class Dice:
    """The network's one random source, with the two kinds of coin the steps toss."""

    def __init__(self, seed: int, noise: float) -> None:
        self.rng = Random(seed)
        self.noise = noise

    def chance(self, base: float) -> bool:
        """True with probability `base`, whatever the noise."""
        return self.rng.random() < base

    def noisy(self, scale: float) -> bool:
        """True with probability `scale * noise` (capped at 1); never, and no draw, at noise 0.

        Drawing nothing at noise 0 keeps the noise-free network's other draws where they are.
        """
        return self.noise > 0 and self.rng.random() < min(1.0, scale * self.noise)

    def instants(self, frame: Frame, k: int, win: tuple[int, int], max_gap: int) -> list[int]:
        """`k` increasing instants starting inside `win`, all strictly before as_of."""
        rng = self.rng
        gaps = [rng.randint(60, max_gap) for _ in range(k - 1)]
        latest = frame.end - 1 - sum(gaps)
        lo, hi = win
        lo = max(frame.start, min(lo, latest - rng.randint(0, 60 * DAY)))
        hi = max(lo, min(hi, latest))
        t = rng.randint(lo, hi)
        out = [t]
        for g in gaps:
            t += g
            out.append(t)
        return out
