"""Importing a council's organisation from its HR and case systems' exports:
`oversight import staff|relationships|cases --organisation SLUG --file F`
and the admin upload page run the same code (importer.py); the rows are
applied by models/actions/admin_imports.py through the admin pages' own
functions. Mappings per source system live in mappings/."""
