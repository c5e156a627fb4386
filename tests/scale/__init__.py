"""The multi-instance test's machinery (issue #20): a PostgreSQL primary with a streaming replica, and the
web and worker processes that run against them (tests/test_scale_out.py)."""
