"""Benchmarks, run with ``python -m bench [storage|rules|pages|pdf]``.

Each benchmark prints every figure beside a baseline measured in the same process, with the
ratio, so a figure means something on any machine. Benchmarks are never timed assertions.
"""
