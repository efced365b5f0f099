"""A local emulator of the QuickBooks Online v3 Accounting API (the other side of the wire).

It shares no code with the rest of ``app``: it is what our client talks to, and it must
behave as QBO documents, not as our client would like. See docs/sandbox.md.
"""

from app.simulator.server import SandboxServer
from app.simulator.throttle import Limits

__all__ = ["Limits", "SandboxServer"]
