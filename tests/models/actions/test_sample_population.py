"""How a sample is drawn (models/actions/sample_population.py): the same seed
always chooses the same records, and a late or missing record is likelier to
be chosen than one on time."""

from __future__ import annotations

from models.actions.sample_population import SESSION, Candidate, choose, derive_seed

QUARTER = "2026-Q2"


def test_the_same_seed_always_chooses_the_same_records_and_another_seed_others():
    population = [Candidate(SESSION, n, n % 4 == 0) for n in range(40)]
    seed = derive_seed(1, QUARTER, "00000000000000aa")
    first = choose(population, seed, 10)
    assert choose(list(reversed(population)), seed, 10) == first
    assert choose(population, derive_seed(1, QUARTER, "00000000000000bb"), 10) != first


def test_overdue_records_are_likelier_to_be_drawn():
    population = [Candidate(SESSION, n, n < 50) for n in range(100)]
    drawn_overdue = total = 0
    for k in range(200):
        chosen = choose(population, derive_seed(1, QUARTER, f"{k:016x}"), 10)
        drawn_overdue += sum(c.overdue for c in chosen)
        total += len(chosen)
    # Half the population is overdue; weighted three to one, about three
    # quarters of what is drawn should be.
    assert 0.65 < drawn_overdue / total < 0.85
