"""Notifications beyond one process: the weekly digest."""
