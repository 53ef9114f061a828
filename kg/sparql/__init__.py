"""SPARQL over a build.

* :mod:`~kg.sparql.store`: the build's pyoxigraph store (writing and opening it);
* :mod:`~kg.sparql.engine`: the one way to run a query, over the store or an rdflib
  graph, answering a :class:`~kg.sparql.result.QueryResult` (terms: :mod:`~kg.sparql.terms`);
* :mod:`~kg.sparql.policy`: what ``kg query`` and ``kg serve`` refuse to run;
* :mod:`~kg.sparql.formats`: every result format, and content negotiation;
* :mod:`~kg.sparql.query`: finding queries and reading ``--bind`` values for ``kg query``;
* :mod:`~kg.sparql.serve` and :mod:`~kg.sparql.workers`: the read-only endpoint;
* :mod:`~kg.sparql.push`: uploads to a Graph Store Protocol server.
"""
