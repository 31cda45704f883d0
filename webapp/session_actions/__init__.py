"""Actions agreed in supervision: a supervisee's actions, who owns each and
by when, and the owner marking one done from their inbox
(policy/rules/actions.py)."""
