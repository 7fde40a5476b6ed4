"""Conversation-first coaching: lessons as data, per-user progress, team numbers, weekly tips."""
