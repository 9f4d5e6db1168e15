"""The rulebook: every period, offset and label, and the checks on it."""
