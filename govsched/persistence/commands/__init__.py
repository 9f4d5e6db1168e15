"""Load the facts a rule needs, let the pure rule decide, store the outcome: one
transaction per command, one module per capability."""
