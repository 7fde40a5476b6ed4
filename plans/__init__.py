"""Adoption plans: goals per team, their trajectory, tenant benchmarks, feedback loops,
recommendations and the monthly / quarterly review document.

A domain package: no botbuilder, aiohttp or ``bot`` import; time is passed in. It reads
adoption data only through adoption's public functions (``AdoptionRepository``,
``weekly_metrics``, ``build_report``, ``lift``) and its own ports (:mod:`plans.ports`).
Rules and thresholds are documented in ``docs/plans.md``.
"""
