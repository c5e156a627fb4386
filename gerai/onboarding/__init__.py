"""Regions onboard themselves: region creation, the region admin's pages and adoption sync."""
