"""Records out of Oversight: case supervision entries as the CSV a case
system's bulk upload takes (cases.py, laid out by a mapping in mappings/,
`oversight export cases`), and one person's whole supervision file as a zip
of printable HTML documents (person_file.py). Both are reads; each is
audited against the people whose records left the system."""
