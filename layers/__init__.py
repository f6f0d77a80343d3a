"""The plan's layer catalogue and the project store (GeoPackage by default)."""
