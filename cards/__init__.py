"""Adaptive Cards (schema 1.5, the highest Teams renders): one pure builder per card.

Every builder takes plain data and returns a card ``dict``; nothing here knows
about botbuilder, storage or the clock. Tests validate each builder's output
against the official Adaptive Card 1.5 JSON schema.
"""
