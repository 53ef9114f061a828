"""kg: a knowledge-graph builder for geopolitical technology disputes."""

__version__ = "0.1.0"
