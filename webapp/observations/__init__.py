"""Practice observations (Lancashire 000 §1.16 and its Practice Observation
form) and supervision observations (Wokingham 003 "Quality Assurance")."""
