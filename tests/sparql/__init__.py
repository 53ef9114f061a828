"""Tests of kg/sparql/."""
