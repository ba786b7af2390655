"""Load tests and the production-mode helpers they share with the test suite."""
