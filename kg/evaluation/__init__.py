"""Scoring a build against gold facts: :mod:`kg.evaluation.score` is the entry point.

Layers within: ``gold`` (reading a gold set), ``match`` (which node is which entity,
which triple states which fact), ``report`` (the figures and their text), ``score``.
"""
