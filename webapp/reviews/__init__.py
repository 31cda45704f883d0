"""The annual review of supervision: the agreement review (Lancashire 000
§1.4) and the Supervision Annual Review questionnaire (Appendix A)."""
