"""Records out: case supervision entries for a case system, and one
person's whole supervision file."""
