"""Food prices for the regional inflation team (TPID)."""
