"""Governance indices: SPBE/Pemdi, SAKIP and performance indicators."""
