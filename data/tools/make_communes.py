"""Regenerate ``data/communes_legacy.csv`` and ``data/communes_2025.csv`` from the vietnamadminunits package.

Run ``.venv/bin/python data/tools/make_communes.py`` after upgrading the package and review the diff. The
package (MIT, PyPI) carries the official unit names and codes, geocoded centre points (not surveyed) and the
legacy -> 1 July 2025 conversion; everything here is read offline from the installed copy. For each 2025
commune the conversion's own list of merged units gives ``outside_units`` (units of other districts: only Bảo
Hà has any); a package area that does not fit its units (:data:`AREA_DOUBTS`) is written as another source's
figure (``other_area_km2``, ``other_source``), not as the official ``area_km2``.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import unicodedata
from importlib.metadata import version
from pathlib import Path

import vietnamadminunits
from vietnamadminunits import convert_address

DATA = Path(__file__).resolve().parents[1]
PKG = Path(vietnamadminunits.__file__).parent
SOURCE = f"vietnamadminunits {version('vietnamadminunits')}"

#: Package areas (admin_units.wardAreaKm2) that do not fit the legacy units the package's own conversion merges
#: into the commune, checked by hand against the areas the legacy units had (censusVN2009, 2009 stated areas, in
#: ../shared/data; not shipped). Such a figure is not written as the official area: it goes to
#: ``other_area_km2`` with this note. The other five communes match the sums of their units (within 1.5 km²;
#: Bảo Hà, with Tân Thượng 37.0 and Tân An 31.6 km² of old Văn Bàn, 250.2 against 243.0).
AREA_DOUBTS: dict[str, str] = {
    "02962": (
        "vietnamadminunits 1.0.4 ghi 306,0 km², nhưng theo bảng chuyển đổi của gói chỉ có Xuân Hòa và Tân "
        "Dương sáp nhập thành xã Xuân Hòa: 74,0 + 32,1 = 106,1 km² theo diện tích công bố năm 2009 "
        "(censusVN2009), 108,2 km² đo trên ranh giới năm 2020 (EPSG:9208). Chưa rõ nguyên nhân chênh lệch; "
        "không dùng 306,0 làm diện tích chính thức."
    ),
}
CENSUS_SOURCE = "https://github.com/LucieContamin/censusVN2009"


def nfc(text: str) -> str:
    """Unicode NFC, the one form the project stores."""
    return unicodedata.normalize("NFC", text)


def main() -> None:
    """Write both CSV files from the installed package."""
    db = sqlite3.connect(PKG / "data" / "dataset.db")
    legacy = db.execute(
        "SELECT ward, wardShort, wardType, wardCode, wardLat, wardLon, wardKey FROM admin_units_legacy "
        "WHERE districtShort = 'Bảo Yên' AND provinceShort = 'Lào Cai' ORDER BY wardCode"
    ).fetchall()
    conv = json.loads((PKG / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    divided = conv["DICT_PROVINCE_WARD_DIVIDED"].get("tinhlaocai", {})
    whole = {k for keys in conv["DICT_PROVINCE_WARD_NO_DIVIDED"]["tinhlaocai"].values() for k in keys}

    names = {
        f"{p}_{d}_{w}": (code, nfc(short), nfc(district))
        for p, d, w, code, short, district in db.execute(
            "SELECT provinceKey, districtKey, wardKey, wardCode, wardShort, districtShort FROM admin_units_legacy "
            "WHERE provinceShort = 'Lào Cai'"
        )
    }

    rows = []
    successors: dict[str, list[str]] = {}
    for ward, short, ward_type, code, lat, lon, _key in legacy:
        new = convert_address(f"{ward}, Huyện Bảo Yên, Tỉnh Lào Cai")
        old_key = f"tinhlaocai_huyenbaoyen_{fold_key(ward)}"
        if old_key not in divided and old_key not in whole:
            raise SystemExit(f"{ward}: key {old_key} is in neither conversion table; the package format changed")
        rows.append(
            {
                "ma_xa": code,
                "ten_xa": nfc(short),
                "loai": nfc(ward_type),
                "centre_lat": f"{lat:.6f}",
                "centre_lon": f"{lon:.6f}",
                "successor_code": new.ward_code,
                "successor_name": nfc(new.short_ward),
                "successor_split": "true" if old_key in divided else "false",
                "source": f"{SOURCE}: admin_units_legacy; convert_address",
            }
        )
        successors.setdefault(new.ward_code, []).append(code)
    write(DATA / "communes_legacy.csv", rows)

    marks = ",".join("?" * len(successors))
    new_rows = db.execute(
        f"SELECT wardCode, wardShort, wardAreaKm2, wardLat, wardLon, wardKey FROM admin_units "
        f"WHERE provinceShort = 'Lào Cai' AND wardCode IN ({marks}) ORDER BY wardCode",
        sorted(successors),
    ).fetchall()
    merged = conv["DICT_PROVINCE_WARD_NO_DIVIDED"]["tinhlaocai"]
    rows_2025 = []
    for code, short, area, lat, lon, key in new_rows:
        members = merged.get(key)
        if members is None:
            raise SystemExit(f"{short}: key {key} is not in the conversion table; the package format changed")
        # units merged into the commune from outside the old district (the package's own conversion)
        outside = [names[m] for m in members if not m.startswith("tinhlaocai_huyenbaoyen_")]
        doubt = AREA_DOUBTS.get(code)
        source = f"{SOURCE}: admin_units; convert_address"
        rows_2025.append(
            {
                "ma_xa": code,
                "ten_xa": nfc(short),
                "area_km2": "" if doubt else f"{area:.1f}",
                "other_area_km2": f"{area:.1f}" if doubt else "",
                "other_source": doubt or "",
                "centre_lat": f"{lat:.6f}",
                "centre_lon": f"{lon:.6f}",
                "legacy_codes": "; ".join(successors[code]),
                "outside_units": "; ".join(f"{c} {n} ({d})" for c, n, d in sorted(outside)),
                "source": f"{source}; {CENSUS_SOURCE}" if doubt else source,
            }
        )
    write(DATA / "communes_2025.csv", rows_2025)


def fold_key(name: str) -> str:
    """The package's key form: no diacritics, no spaces, lower case (Thị trấn Phố Ràng -> thitranphorang)."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn" and not ch.isspace()).lower()


def write(path: Path, rows: list[dict[str, str]]) -> None:
    """Write rows as UTF-8 CSV with LF line ends."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {path}")


if __name__ == "__main__":
    main()
