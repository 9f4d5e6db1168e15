"""The annual reporting cycle, with peer review inside."""
