"""Maintainer tools behind the invoke tasks: build, serve, publish, quality gates, benchmark.

The site is not made from anything here, so a change in this package does not rebuild it.
"""
