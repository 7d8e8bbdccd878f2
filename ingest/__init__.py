"""Ingestion: file → normalised lines → metadata → sections/chunks → table cells → checks → stores."""
