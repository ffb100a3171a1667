"""The chart engine: find the chart modules in :mod:`charts`, style, render and version them.

Reads :mod:`dataset`; knows nothing of Pelican. :mod:`charting.pipeline` is its entry point:
data in, rendered charts out (Vega-Lite, Vega, SVG, PNG), cached by content hash.
"""
