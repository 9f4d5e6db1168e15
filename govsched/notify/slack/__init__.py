"""Slack: clients, Block Kit messages, pacing, and the Slack notifier."""
