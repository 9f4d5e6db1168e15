"""In-country Implementation Groups: who they are, when they meet, and who came."""
