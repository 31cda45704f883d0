"""Registration and DBS checks a supervisor records for their supervisee
(Lancashire 000 §1.16; Nottingham 001 §1.5)."""
