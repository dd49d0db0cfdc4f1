"""The engine: matrix assembly, the Hines solve and the time-step loops."""
