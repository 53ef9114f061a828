"""Checking a graph against the ontology's SHACL shapes.
"""
