"""权力清单: the catalogue of powers, versioned."""
