"""The serve's garbage collection between rebuilds: it runs after a build, not during the next one."""

from __future__ import annotations

import gc
import threading
import weakref

from kb_tools.site.idle_gc import IdleCollector


def wait_for(collector: IdleCollector) -> None:
    timer = collector._timer
    assert isinstance(timer, threading.Timer)
    timer.join()


def test_collects_and_freezes_after_a_build_and_unfreezes_on_close() -> None:
    collector = IdleCollector(delay=0)
    try:
        collector.build_finished()
        wait_for(collector)
        assert collector.runs == 1
        assert gc.get_freeze_count() > 0  # what the build left is out of the next collections
    finally:
        collector.close()
    assert gc.get_freeze_count() == 0


def test_a_new_build_cancels_the_pending_collection() -> None:
    collector = IdleCollector(delay=3600)
    try:
        collector.build_finished()
        timer = collector._timer
        collector.build_started()
        assert timer is not None and timer.finished.is_set()  # cancelled before it ran
        assert collector.runs == 0
    finally:
        collector.close()


def test_garbage_frozen_by_one_collection_is_freed_by_the_next() -> None:
    collector = IdleCollector(delay=0)

    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the collector frees it

    try:
        node = Node()
        alive = [node]
        collector.build_finished()
        wait_for(collector)  # node is frozen now
        freed = []
        ref = weakref.ref(node, lambda _r: freed.append(True))
        del node, alive
        collector.build_finished()
        wait_for(collector)  # unfrozen, collected
        assert ref() is None and freed
    finally:
        collector.close()
