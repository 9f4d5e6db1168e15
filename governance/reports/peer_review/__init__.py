"""Peer review assignment: who reviews which report, and why."""
