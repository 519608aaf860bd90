"""The second process (generator/build/schedule.py): a child that fails or dies is replaced by computing
in the parent (so its error is raised as usual); the work split; the core count setting."""

from __future__ import annotations

import gc
import os

import pytest

from generator.build import schedule
from generator.core.errors import ReadingListError


def test_forked_runs_in_a_child() -> None:
    parent = os.getpid()
    job = schedule.Forked(os.getpid)
    assert job.in_child
    assert job.result() not in (parent, None)


def test_forked_without_fork_computes_here_when_asked() -> None:
    calls = []
    job = schedule.Forked(lambda: calls.append(os.getpid()) or len(calls), fork=False)
    assert not job.in_child and calls == []
    assert job.result() == 1 and job.result() == 1  # computed once
    assert calls == [os.getpid()]


def test_a_child_that_dies_is_replaced_by_the_parent() -> None:
    parent = os.getpid()

    def compute() -> str:
        if os.getpid() != parent:
            os._exit(3)  # as if killed, e.g. out of memory
        return "computed here"

    assert schedule.Forked(compute).result() == "computed here"


def test_an_error_in_the_child_is_raised_by_the_parent() -> None:
    calls = []

    def compute() -> None:
        calls.append(os.getpid())
        raise ValueError("bad input")

    with pytest.raises(ValueError, match="bad input"):
        schedule.Forked(compute).result()
    assert calls == [os.getpid()]  # the child's call happened in its own memory


def test_each_part_forks_from_its_own_size(monkeypatch) -> None:
    monkeypatch.setattr(schedule, "cores", lambda: 2)
    assert not schedule.worth_forking(schedule.PARALLEL_MIN - 1)
    assert schedule.worth_forking(schedule.PARALLEL_MIN)
    assert schedule.worth_forking(schedule.RELATED_PARALLEL_MIN, schedule.RELATED_PARALLEL_MIN)
    assert not schedule.worth_forking(schedule.RELATED_PARALLEL_MIN - 1, schedule.RELATED_PARALLEL_MIN)
    monkeypatch.setattr(schedule, "cores", lambda: 1)
    assert not schedule.worth_forking(10**6, schedule.RELATED_PARALLEL_MIN)


def test_jobs_setting_caps_the_cores(monkeypatch) -> None:
    monkeypatch.setenv("READINGLIST_JOBS", "1")
    assert schedule.cores() == 1
    assert not schedule.worth_forking(10**6)
    monkeypatch.setenv("READINGLIST_JOBS", "nonsense")
    with pytest.raises(ReadingListError, match="READINGLIST_JOBS='nonsense' is not a whole number"):
        schedule.cores()


def test_split_by_weight_takes_about_the_share_and_keeps_the_order() -> None:
    weights = {"a": 50, "b": 30, "c": 15, "d": 5}
    assert schedule.split_by_weight(["a", "b", "c", "d"], weights, 0.5) == ["a"]
    assert schedule.split_by_weight(["d", "c", "b", "a"], weights, 0.8) == ["b", "a"]
    assert schedule.split_by_weight(["a", "b"], {}, 0.5) == ["a", "b"]  # nothing to weigh: all fit
    assert schedule.split_by_weight([], weights, 0.5) == []


def test_gc_paused_nests_and_restores_the_collector() -> None:
    assert gc.isenabled()
    with schedule.gc_paused():
        assert not gc.isenabled()
        with schedule.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
