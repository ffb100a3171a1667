"""One module per chart; the module name is the chart's permanent id."""
