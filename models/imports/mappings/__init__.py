"""The column mappings shipped with Oversight, one YAML file per source system
(read by models/imports/mapping.py; a package so that they install with it)."""
