"""The ASYE year's reviews at 3, 6 and 12 months, recorded by the newly
qualified social worker's supervisor (policy/rules/asye.py)."""
