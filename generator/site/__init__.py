"""The site stage: settings, URLs, views and one renderer per page kind, as pure functions."""
