"""公示: what the public may see — published results, statistics, the verifiable record."""
