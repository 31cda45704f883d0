import gc
import weakref

import pytest

from policy.collector import older_objects_frozen


def test_objects_that_exist_when_the_work_starts_are_left_out_of_collections_until_it_ends():
    already_here = [[] for _ in range(10)]

    with older_objects_frozen():
        frozen = gc.get_freeze_count()

    assert frozen >= len(already_here)
    assert gc.get_freeze_count() == 0


def test_the_objects_are_given_back_to_the_collector_when_the_work_fails():
    with pytest.raises(RuntimeError), older_objects_frozen():
        raise RuntimeError("a batch failed")

    assert gc.get_freeze_count() == 0


def test_objects_frozen_by_someone_else_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with older_objects_frozen():
            pass
        # Frozen objects that die leave the count, so it may fall a little; given
        # back to the collector, it would be 0.
        assert gc.get_freeze_count() > frozen // 2
    finally:
        gc.unfreeze()


def test_garbage_the_work_leaves_is_collected_before_the_older_objects_are_given_back():
    class Node:
        pass

    with older_objects_frozen():
        cycle = Node()
        cycle.itself = cycle
        alive = weakref.ref(cycle)
        del cycle
        assert alive() is not None

    assert alive() is None


def test_batch_after_batch_leaves_no_more_objects_than_one():
    def batch():
        with older_objects_frozen():
            for _ in range(1000):
                node: dict = {}
                node["itself"] = node

    batch()
    after_one = len(gc.get_objects())
    for _ in range(20):
        batch()

    assert len(gc.get_objects()) < after_one + 500  # leaking, it would be 20,000 more
