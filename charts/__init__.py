"""The charts: one Altair chart builder per module; the module name is the chart's permanent id.

Each module has a docstring, a ``FURNITURE`` and a ``build(data, layout)``; :mod:`charting.registry`
finds them, and the house style comes from :mod:`charting.theme`, so no chart repeats it.
"""
