"""The Graph-based adoption tracker: collect, measure, score, report.

Never imports ``bot`` or botbuilder. Time is passed in; storage is any object
that satisfies :class:`adoption.ports.Documents`.
"""
