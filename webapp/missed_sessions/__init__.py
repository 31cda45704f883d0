"""Missed supervision raised and escalated (Wokingham standards 14-15): the
chain for a relationship, visible to anyone whose scope covers it, and the
forms for whoever's step is next."""
