"""One module per page kind; each renders its pages as ``(views, env) -> {docs path: text}``."""
