"""Options declared once: every command that takes one of these takes it with the same name and meaning.

``--crs`` is the CRS to assume for an input file that declares none; a declared CRS is kept. ``--override-crs``
replaces a declared CRS, and the command warns that it did.
"""

from __future__ import annotations

import argparse


def h(lang: str, vi: str, en: str) -> str:
    """A help text in ``lang``, with ``%`` made safe for argparse's formatting."""
    return (en if lang == "en" else vi).replace("%", "%%")


def add_store(p: argparse.ArgumentParser, lang: str, *, nested: bool = False) -> None:
    """``--store PATH``: the store to use (``nested``: also on a sub-command's action, not resetting it)."""
    p.add_argument(
        "--store",
        metavar="PATH|URL",
        default=argparse.SUPPRESS if nested else None,
        help=h(
            lang,
            "kho dữ liệu: tệp GeoPackage hoặc postgresql://… (mặc định: $BAOYEN_STORE hoặc "
            "~/.local/share/baoyen/baoyen.gpkg); mật khẩu để trong ~/.pgpass, không ghi vào URL",
            "the store: a GeoPackage file or postgresql://… (default: $BAOYEN_STORE or "
            "~/.local/share/baoyen/baoyen.gpkg); keep the password in ~/.pgpass, not in the URL",
        ),
    )


def add_user(p: argparse.ArgumentParser, lang: str, *, nested: bool = False) -> None:
    """``--user NAME``: who signs in for a command that changes the store."""
    p.add_argument(
        "--user",
        metavar="NAME",
        default=argparse.SUPPRESS if nested else None,
        help=h(
            lang,
            "người dùng đăng nhập cho lệnh thay đổi kho (mặc định: $BAOYEN_USER); mật khẩu lấy từ $BAOYEN_PASSWORD "
            "hoặc nhập khi được hỏi",
            "who signs in for a command that changes the store (default: $BAOYEN_USER); the password comes from "
            "$BAOYEN_PASSWORD or a prompt",
        ),
    )


def add_lang(p: argparse.ArgumentParser, lang: str, *, what: str | None = None) -> None:
    """``--lang vi|en``: the language of the output."""
    p.add_argument(
        "--lang",
        choices=["vi", "en"],
        default=argparse.SUPPRESS,  # given before or after the command name, never reset by the other parser
        help=h(
            lang,
            f"ngôn ngữ {what or 'của kết quả và thông báo'} (mặc định: BAOYEN_LANG hoặc vi)",
            f"language of {what or 'the output and messages'} (default: BAOYEN_LANG or vi)",
        ),
    )


def add_json(p: argparse.ArgumentParser, lang: str) -> None:
    """``--json``: one JSON object on stdout."""
    p.add_argument(
        "--json",
        action="store_true",
        help=h(lang, "in một đối tượng JSON ra stdout", "print one JSON object on stdout"),
    )


def add_crs(p: argparse.ArgumentParser, lang: str) -> None:
    """``--crs`` (assume when undeclared) and ``--override-crs`` (replace a declared CRS, with a warning)."""
    p.add_argument(
        "--crs",
        metavar="EPSG",
        help=h(
            lang,
            "hệ tọa độ giả định cho tệp không khai báo hệ tọa độ, vd EPSG:9208 (tệp đã khai báo thì giữ nguyên)",
            "CRS to assume for input files that declare none, e.g. EPSG:9208 (a declared CRS is kept)",
        ),
    )
    p.add_argument(
        "--override-crs",
        metavar="EPSG",
        help=h(
            lang,
            "thay hệ tọa độ tệp đã khai báo bằng hệ này (có cảnh báo); chỉ dùng khi biết khai báo của tệp sai",
            "replace the CRS the file declares with this one (warns); only when the file's declaration is wrong",
        ),
    )


def add_period(p: argparse.ArgumentParser, lang: str, *, required: bool = False) -> None:
    """``--period P``: a reporting period."""
    p.add_argument(
        "--period",
        required=required,
        metavar="P",
        help=h(
            lang,
            "kỳ báo cáo: 2025-H1 (6 tháng), 2025 (năm), 2021-2025 (giai đoạn)",
            "reporting period: 2025-H1 (six months), 2025 (year), 2021-2025 (term)",
        ),
    )


def add_as_of(p: argparse.ArgumentParser, lang: str, *, vi: str, en: str) -> None:
    """``--as-of YYYY-MM-DD``: the day to evaluate on."""
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help=h(lang, vi, en))
