"""Solver passes: IR in, IR out (never target text)."""
