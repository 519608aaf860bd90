"""Metadata resolution (issue 14): find each paper's arXiv id, DOI, authors, year and venue.

``arxiv`` and ``openalex`` are the two service clients, ``http``/``ratelimit``/``cache`` the polite
transport under them, ``match`` the conservative rule that accepts a candidate, ``apply`` the pure
update of a paper, ``review`` the list of doubtful candidates, ``run`` the command's edge.
"""
