"""The bookkeeper's mapping (SPEC §4): pure data, read from TOML or the local store."""
