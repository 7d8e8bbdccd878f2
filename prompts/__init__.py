"""Prompt templates for the optional LLM mode, in Chinese. Templates only: nothing is read or sent at import."""

from prompts.answer import NARRATIVE, NUMERIC, PLAN

__all__ = ["NARRATIVE", "NUMERIC", "PLAN"]
