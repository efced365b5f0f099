"""Ledgerbridge: registration and payment exports into QuickBooks Online."""

__version__ = "0.1.0"
APP_NAME = "Ledgerbridge"
