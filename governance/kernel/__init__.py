"""What every capability shares: the registry model, actor, errors, time, wording, notices."""
