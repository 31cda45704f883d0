"""Functions that change state, one module per area of the web app. Each owns
its transaction: it records the fact, completes the human task, reconciles the
subject, writes the outbox row and the audit entry (unit_of_work.py)."""
