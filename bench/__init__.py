"""The board benchmark: see bench/README.md."""
