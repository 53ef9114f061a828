"""The build: its stages without a package of their own (ingest, nlp, resolve,
graph) and their orchestration (pipeline, cache, manifest, pieces, lock, watch).
"""
