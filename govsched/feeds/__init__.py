"""Calendar feeds: rendering published events as iCalendar, and serving them from a cache."""
