"""Calendar feeds: building, serving, exporting and pushing them, and their tokens."""
