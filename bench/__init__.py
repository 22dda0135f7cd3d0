"""Benchmarks and generators that live beside the archive but are not part of the installed package."""
