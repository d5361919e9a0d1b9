"""What the app keeps between runs: query history, saved searches, the user's config."""
