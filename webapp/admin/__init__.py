"""The workforce team's admin pages (and, within their areas, heads of
service'): staff, supervisors, cases, and importing a council's files."""
