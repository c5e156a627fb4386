"""The regional news portal."""
