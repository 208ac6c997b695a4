"""Issue 14: an alias removed by one reviewer travels in a merge of databases, as every edit does: an alias is a
row with its time and a tombstone (m008), and the newer of two versions wins, whatever the order of the merges."""
from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings, strategies as st

from annotator.curation.merge import merge_paths
from annotator.store import Store

ALIASES = ["UN Migration Agency", "OIM", "IOM", "Migration Agency"]


def aliases(store, entity_id="IOM"):
    return sorted(store.entity(entity_id).aliases)


def test_an_alias_removed_by_a_teammate_goes_in_the_merge_and_a_newer_adding_brings_it_back(tmp_path):
    alice, bob = Store(tmp_path / "alice.db"), Store(tmp_path / "bob.db")
    for s in (alice, bob):
        s.add_alias("IOM", "UN Migration Agency")
    alice.remove_alias("IOM", "OIM")                # a seed alias alice does not want
    alice.remove_alias("IOM", "UN Migration Agency")
    alice.close()
    merge_paths(bob, [str(tmp_path / "alice.db")])
    assert "OIM" not in aliases(bob) and "UN Migration Agency" not in aliases(bob)
    assert bob.find_entities("OIM") == []          # the registry's matching no longer knows it
    assert not merge_paths(bob, [str(tmp_path / "alice.db")]).changed
    bob.add_alias("IOM", "OIM")                     # bob wants it back, later: his is the newer edit
    bob.close()
    alice = Store(tmp_path / "alice.db")
    merge_paths(alice, [str(tmp_path / "bob.db")])
    assert "OIM" in aliases(alice) and "UN Migration Agency" not in aliases(alice)


# each step: (reviewer 0-2, add or remove, alias)
steps = st.lists(st.tuples(st.integers(0, 2), st.booleans(), st.sampled_from(ALIASES)), min_size=1, max_size=8)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(history=steps, orders=st.randoms())
def test_random_alias_histories_merge_to_the_same_registry_in_any_order(tmp_path_factory, history, orders):
    folder = tmp_path_factory.mktemp("aliases")
    paths = [folder / f"r{i}.db" for i in range(3)]
    stores = [Store(p) for p in paths]
    seed = set(stores[0].entity("IOM").aliases)
    last = {}  # alias -> whether its newest effective edit, across the reviewers, added it
    for who, add, alias in history:
        if add:
            stores[who].add_alias("IOM", alias)
            last[alias] = True
        elif alias in stores[who].entity("IOM").aliases:  # a reviewer removes what their registry has
            stores[who].remove_alias("IOM", alias)
            last[alias] = False
    for s in stores:
        s.close()
    results = []
    perms = list(itertools.permutations(range(3)))
    for n, perm in enumerate([perms[0], *orders.sample(perms[1:], 2)]):
        target = Store(folder / f"t{n}.db")
        for i in perm:
            merge_paths(target, [str(paths[i])])
        results.append(aliases(target))
        # idempotent: the same databases again change nothing
        for p in paths:
            assert not merge_paths(target, [str(p)]).changed
        target.close()
    # and the newest edit of each alias decides it, across the reviewers
    expected = sorted({a for a in seed if last.get(a, True)} | {a for a, added in last.items() if added})
    assert len({tuple(r) for r in results}) == 1 and results[0] == expected
