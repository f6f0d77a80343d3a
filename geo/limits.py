"""Configurable limits for reading untrusted files (uploads, archives, XML, JSON)."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Limits applied when reading a file a user gives us.

    All sizes are in bytes. The defaults suit a planning office: large enough for a province's cadastral
    layer, small enough that a hostile archive cannot fill the disk or the memory.
    """

    upload_bytes: int = 200 * MB
    archive_uncompressed_bytes: int = 2048 * MB
    archive_ratio: float = 100.0
    archive_members: int = 10_000
    json_depth: int = 64
    #: coordinates beyond this magnitude (in any CRS unit) are absurd for Lào Cai
    coordinate_magnitude: float = 1e8
