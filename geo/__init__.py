"""GIS primitives for baoyen: CRS (VN-2000), file I/O and validation, geometry repair, errors.

This package knows nothing about the plan; ``layers`` and ``analysis`` build on it.
"""
