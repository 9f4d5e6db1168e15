"""Repositories: one module per capability, returning governance values."""
