"""Participant concerns: filing, the case, its decision and follow-ups."""
