"""The data: load the data package, hold it to the project's rules, and describe it.

The lowest layer: it imports nothing from the other packages. :mod:`dataset.loading` reads
``data/datapackage.yaml`` and its CSVs (validated by frictionless and :mod:`dataset.validation`),
:mod:`dataset.formulas` recomputes derived rows, :mod:`dataset.dates` keeps each date at the
precision its source gives, :mod:`dataset.places` locates the places, :mod:`dataset.evidence`
reads the evidence key, and :mod:`dataset.errors` holds the errors every layer raises.
"""
