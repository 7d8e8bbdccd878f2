"""Shared vocabulary of the project: the statutory template, record types and settings."""
