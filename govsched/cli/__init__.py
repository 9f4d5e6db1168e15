"""The `govsched` command: one module per command group."""
