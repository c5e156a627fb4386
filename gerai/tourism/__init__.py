"""Destinations and the event calendar."""
