"""Charts, data and site build for the Russia–North Korea food-trade explainer.

Data flows one way: ``data/`` (validated by :mod:`charts.data`) -> chart modules in
:mod:`charts.catalog` (found by :mod:`charts.registry`) -> renders (:mod:`charts.render`)
-> Markdown pages (:mod:`charts.markdown_ext`) -> Pelican (:mod:`charts.pelican_plugin`).
"""
