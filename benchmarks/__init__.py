"""Benchmarks: synthetic corpora (corpus.py), per-step runner (steps.py) and the harness (run.py)."""
