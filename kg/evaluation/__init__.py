"""Scoring a build against gold facts.
"""
