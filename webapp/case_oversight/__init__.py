"""Management oversight recorded on a child's record between case
supervisions (Wokingham standards 25-27), by case ID only."""
