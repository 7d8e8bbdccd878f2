"""Answering questions from the stores: understand → facts (SQL) / passages (hybrid search) → compose."""
