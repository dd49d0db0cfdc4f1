"""Morphology helpers: the d_lambda rule (`dlambda`) and, later, reconstruction readers."""
