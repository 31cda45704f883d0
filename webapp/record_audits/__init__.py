"""Audits of a supervisor's supervision records (Wokingham Quality Assurance
"Supervision Audits"; Nottingham Appendix 6, Supervision File Audit Check
List): the line manager's checklist, and the supervisor's confirmation that
the audit was discussed with them."""
