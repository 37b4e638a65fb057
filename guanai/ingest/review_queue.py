"""A review queue people can finish (issue 17.4): pairs in the order a decision changes most,
and each decision settling the pairs it implies.

Plain Python on record indices, so bench/linkage.py can play a reviewer through a million-row
queue and the importer's queue (review.py) follows the same two rules:

* accepting A = B joins their clusters: every pending pair inside the joined cluster is settled
  as the same child (A = B and B = C settle A = C);
* rejecting A ≠ B keeps their two clusters apart: every pending pair that would join those
  same two clusters is settled as not the same child.

* two clusters holding different valid ID numbers are two children before anyone is asked
  (two valid numbers that differ never match, ``linkage.compare``): a pair joining them is
  settled as not the same child without a question. At 1,000,000 rows these were half the
  queue: namesakes born a digit apart, each with a police row carrying a number.

The order: the pair whose decision joins (or keeps apart) the most records first, the score
breaking ties (the most likely first).
"""

from collections.abc import Callable, Iterable, Sequence


class Queue:
    def __init__(
        self,
        n: int,
        matched: Iterable[tuple[int, int]] = (),
        numbers: Sequence[str] | None = None,
    ) -> None:
        """``numbers``: each record's valid ID number ('' for none)."""
        self.parent = list(range(n))
        self.size = [1] * n
        self.apart: dict[int, set[int]] = {}  # cluster root -> roots it is kept apart from
        # cluster root -> the valid ID numbers its records hold (only roots that have one)
        self.numbers: dict[int, set[str]] = {
            i: {number} for i, number in enumerate(numbers or ()) if number
        }
        for i, j in matched:
            self._union(i, j)

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def _union(self, i: int, j: int) -> int:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return ri
        if self.size[ri] < self.size[rj]:
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.size[ri] += self.size[rj]
        if rj in self.numbers:
            self.numbers.setdefault(ri, set()).update(self.numbers.pop(rj))
        # Clusters kept apart from the absorbed one are now kept apart from the joined one.
        for other in self.apart.pop(rj, ()):
            others = self.apart[other]
            others.discard(rj)
            others.add(ri)
            self.apart.setdefault(ri, set()).add(other)
        return ri

    def settled(self, i: int, j: int) -> bool | None:
        """True: implied the same child; False: implied not; None: still to decide."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        if rj in self.apart.get(ri, ()):
            return False
        mine, theirs = self.numbers.get(ri), self.numbers.get(rj)
        if mine and theirs and mine.isdisjoint(theirs):
            return False  # each holds a valid number, and they differ: two children
        return None

    def impact(self, i: int, j: int) -> int:
        """How many records a decision on this pair places: the two clusters it joins or parts."""
        return self.size[self.find(i)] + self.size[self.find(j)]

    def decide(self, i: int, j: int, same: bool) -> None:
        if same:
            self._union(i, j)
        else:
            ri, rj = self.find(i), self.find(j)
            if ri != rj:
                self.apart.setdefault(ri, set()).add(rj)
                self.apart.setdefault(rj, set()).add(ri)


def order(queue: Queue, pairs: Iterable[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Pending pairs, the one that changes most first (ties: higher score first)."""
    return sorted(pairs, key=lambda p: (-queue.impact(p[0], p[1]), -p[2], p[0], p[1]))


def play(
    n: int,
    matched: Iterable[tuple[int, int]],
    pairs: list[tuple[int, int, float]],
    reviewer: Callable[[int, int], bool],
    numbers: Sequence[str] | None = None,
) -> tuple[int, int, Queue]:
    """A reviewer through the whole queue in order: (decisions made, pairs settled by
    implication, the queue at the end). The order is fixed at the start, as the page shows it."""
    queue = Queue(n, matched, numbers)
    decided = implied = 0
    for i, j, _ in order(queue, pairs):
        if queue.settled(i, j) is not None:
            implied += 1
            continue
        queue.decide(i, j, reviewer(i, j))
        decided += 1
    return decided, implied, queue
