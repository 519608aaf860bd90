"""How the build runs: a pure computation in a forked child process while this process does another,
and garbage-collector pauses. The only module that forks or pauses the collector.

A build has independent parts of a few seconds each at 10k papers: related papers versus topics and
tags; topic pages versus the other pages. On a machine with two or more cores, :class:`Forked` computes
one in a child made with ``fork`` (the child sees the parent's papers without copying or pickling them)
and hands back the result as one pickle. Nothing here can change a result: if the child cannot be
started, fails, or dies, the computation is run again in this process, so an error surfaces exactly as
it would have without a child. :func:`split_by_weight` balances the work between the two.

``READINGLIST_JOBS=1`` turns the child off (e.g. to profile the whole computation in one process).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Generic, TypeVar

from generator.core.environment import environment

T = TypeVar("T")

PARALLEL_MIN = 2_000  # papers from which a second process pays for its start and its result's transfer
# Related papers alone in a child while this process classifies: the second core is idle then (the paper
# index starts after classifying), and the child's result is small. At 422 papers enriching takes
# 0.27 s instead of 0.36 s, at 1,000 0.53 s instead of 0.86 s (medians of 6-8 fresh processes each).
RELATED_PARALLEL_MIN = 300


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that form no cycles (records,
    papers): its full passes rescan every live object, which makes a 100k-paper load superlinear. Whatever
    cycles appear meanwhile are collected once it runs again; the state before is restored (nests)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def cores() -> int:
    """CPUs this process may run on, capped by ``READINGLIST_JOBS`` when it is set."""
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    limit = environment().jobs
    return min(available, limit) if limit else available


def worth_forking(papers: int, minimum: int = PARALLEL_MIN) -> bool:
    """Whether a build of ``papers`` visible papers should use a second process (for a part that pays
    from ``minimum`` papers)."""
    return papers >= minimum and cores() >= 2


def _child(compute: Callable[[], object], writer) -> None:
    try:
        payload = pickle.dumps((True, compute()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - the parent recomputes, and reports the error itself
        payload = pickle.dumps((False, None))
    writer.send_bytes(payload)
    writer.close()


class Forked(Generic[T]):
    """``compute()`` started in a forked child now; :meth:`result` waits for it (or runs it here).

    With ``fork=False`` no child is started: :meth:`result` computes the value here, when first asked.
    """

    def __init__(self, compute: Callable[[], T], fork: bool = True):
        self.compute = compute
        self.process = None
        if not fork:
            return
        try:
            context = multiprocessing.get_context("fork")
            self.reader, writer = context.Pipe(duplex=False)
            self.process = context.Process(target=_child, args=(compute, writer), daemon=True)
            self.process.start()
            writer.close()
        except (ValueError, OSError, AssertionError):  # no fork here, no resources, or a daemon process
            self.process = None

    @property
    def in_child(self) -> bool:
        return self.process is not None

    def result(self) -> T:
        """The child's value (computed once; later calls return the same value)."""
        if not hasattr(self, "value"):
            self.value = self._collect()
        return self.value

    def _collect(self) -> T:
        if self.process is None:
            return self.compute()
        ok, value = False, None
        try:
            payload = self.reader.recv_bytes()
            with gc_paused():  # many small objects and no cycles: the collector would rescan them all
                ok, value = pickle.loads(payload)
        except (EOFError, OSError, pickle.UnpicklingError):
            pass  # the child died (killed, out of memory): compute here instead
        finally:
            self.reader.close()
            self.process.join()
        return value if ok else self.compute()


def split_by_weight(items: Sequence[str], weights: Mapping[str, int], share: float) -> list[str]:
    """Items (in their order) holding about ``share`` of the total weight, heaviest considered first:
    the part a child takes. Only the balance between processes depends on it, never a result."""
    total = sum(weights.get(item, 0) for item in items)
    chosen, count = set(), 0
    for item in sorted(items, key=lambda item: -weights.get(item, 0)):
        if count + weights.get(item, 0) <= share * total:
            chosen.add(item)
            count += weights.get(item, 0)
    return [item for item in items if item in chosen]
