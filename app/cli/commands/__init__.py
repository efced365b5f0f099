"""One module per subcommand; each defines ``register(subparsers)``.

The list is explicit (not discovered with pkgutil) because frozen builds cannot list
their own packages; a test checks it names every module in this folder.
"""

COMMAND_MODULES = (
    "company", "connect", "demo_data", "disconnect", "errors", "import_", "mapping", "period",
    "post", "preset", "preview", "reconcile", "report", "resync", "retry", "runs", "sandbox",
    "schedule", "source", "status", "sync", "sync_source", "undo",
)
