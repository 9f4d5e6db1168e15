"""Notifiers: the port activities deliver through, the console and Slack."""
