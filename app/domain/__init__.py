"""Pure domain types shared by the importer, the planner and the poster (no Qt, no I/O)."""
