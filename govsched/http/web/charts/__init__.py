"""Pictures in the web workspace: Vega-Lite charts rendered to SVG on the server.

Each picture has three parts, each in its own place:

- its facts, shaped from what the page already read by pure functions (no I/O, no clock: the
  day is given), in the module named after the picture;
- its Vega-Lite spec, built with altair from those facts (a function of the facts and a width);
- its text alternative: a sentence and a table of the same facts (`picture.Table`).

`render` turns a spec into SVG with vl-convert (offline, deterministic, cached by the spec).

altair and vl-convert are imported inside the functions that build or draw a spec, never at a
module's top: they are a large part of the API's start-up, which every process that imports
the web app (the API, its tests) would otherwise pay before serving a single page.
"""
