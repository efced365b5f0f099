"""``ledgerbridge sandbox serve``: run the local QBO simulator until interrupted.

The first stdout line is one JSON object (base_url, realm_id, client credentials and the
OAuth URLs) so a parent process or a script can read it and connect; then the server runs
until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from app.cli.context import EXIT_OK, CliContext, UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sandbox", help="the local QuickBooks Online simulator")
    actions = parser.add_subparsers(dest="sandbox_command", metavar="ACTION", required=True)
    serve = actions.add_parser("serve", help="serve the simulator on loopback until stopped")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to bind (default 127.0.0.1: loopback only)")
    serve.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    serve.add_argument("--data", metavar="FILE",
                       help="SQLite file that keeps the demo company between runs")
    serve.add_argument("--time-scale", type=float, default=1.0, metavar="X",
                       help="run the simulator's clock X times faster (token lifetimes, "
                       "throttle windows)")
    serve.set_defaults(handler=handle_serve)


def handle_serve(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.simulator import SandboxServer

    if args.time_scale <= 0:
        raise UsageError("--time-scale must be positive")
    server = SandboxServer(host=args.host, port=args.port, data_file=args.data,
                           time_scale=args.time_scale)
    try:
        server.start()
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc}") from exc
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    sys.stdout.write(json.dumps(server.info) + "\n")
    sys.stdout.flush()
    server.serve_until_stopped(stop)
    return EXIT_OK
