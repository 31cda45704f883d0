"""The bridge to the policy engine: facts read from the tables (a whole
organisation, or a batch of units), the reconcile that makes human tasks match
what is owed, and how runs are planned and counted."""
