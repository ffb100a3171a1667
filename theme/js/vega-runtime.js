// Entry for the self-hosted Vega runtime: the view and parser, and the CSP-safe expression
// interpreter. Specs are compiled to Vega at build time, so Vega-Lite is not shipped.
export { View, parse } from "vega";
export { expressionInterpreter } from "vega-interpreter";
