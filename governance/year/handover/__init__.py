"""The Government Chair handover: its rules, registry changes and contracts."""
