"""Tests of kg/evaluation/."""
