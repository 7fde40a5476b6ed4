"""Loopback fakes of the services Trimtab talks to (Graph, the Bot Framework connector)."""
