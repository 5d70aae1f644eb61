"""Retrieval evaluation: BEIR-layout datasets, metrics, reports and benchmarks."""
