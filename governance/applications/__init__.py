"""The membership processes: applications and the Engaged period."""
