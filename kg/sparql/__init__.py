"""SPARQL over a build: the store, the query engines, result formats, the
read-only endpoint and pushes to a remote store.
"""
