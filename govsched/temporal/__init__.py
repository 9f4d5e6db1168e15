"""Temporal plumbing: the client, and sending updates to workflows."""
