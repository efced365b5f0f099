"""The import layer: exports (CSV, Excel, an HTTP/JSON API) to canonical records.

``pipeline.import_paths`` reads, maps and validates (pure); ``store.store_import`` and
``store.load_dataset`` are the database edge. See docs/importing.md.
"""
