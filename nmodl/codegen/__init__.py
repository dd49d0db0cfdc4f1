"""Printers from the mechanism IR to target source text (one module per backend)."""
