"""Benchmarks of 法规知识库: build time, memory, search (see README.md)."""
