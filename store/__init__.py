"""Persistence for npsbot: SQLite by default, PostgreSQL in production; rows never leave here."""

from store.db import Conn, Store, open_store

__all__ = ["Conn", "Store", "open_store"]
