"""Accounts: ``baoyen user add|passwd|role|grant|list|whoami|recover-admin``.

Who acts signs in with ``--user NAME`` (or ``BAOYEN_USER``) and the password from ``BAOYEN_PASSWORD`` or a
prompt; a new password (``add``, ``passwd``) comes from ``BAOYEN_NEW_PASSWORD`` or is typed twice.
"""

from __future__ import annotations

import argparse
import getpass
import os

from cli.options import add_json, add_lang, add_store, h
from cli.options import add_user as add_user_option
from cli.output import Ctx, emit_json, print_table, say
from cli.registry import command
from services.accounts import (
    ROLES,
    UserInfo,
    add_user,
    check_bind,
    grant,
    list_users,
    recover_admin,
    set_password,
    set_role,
    whoami,
)


def _configure(p: argparse.ArgumentParser, lang: str) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    sub.required = True
    add = sub.add_parser("add", help=h(lang, "tạo tài khoản (quản trị)", "make an account (admin)"))
    add.add_argument("name", metavar="NAME")
    add.add_argument(
        "--role", choices=ROLES, default="viewer", help=h(lang, "vai trò (mặc định viewer)", "role (default viewer)")
    )
    pw = sub.add_parser(
        "passwd",
        help=h(
            lang,
            "đặt mật khẩu mới: của chính mình, hoặc của người khác (quản trị; mật khẩu dùng một lần)",
            "set a new password: one's own, or someone else's (admin; a one-time password)",
        ),
    )
    pw.add_argument("name", metavar="NAME")
    role = sub.add_parser("role", help=h(lang, "đổi vai trò (quản trị)", "change a role (admin)"))
    role.add_argument("name", metavar="NAME")
    role.add_argument("role", choices=ROLES)
    gr = sub.add_parser(
        "grant",
        help=h(
            lang,
            "cấp quyền trên một lớp/bảng hoặc * (quản trị): r đọc, w ghi, a quản lý lớp (khôi phục); - để thu hồi",
            "grant rights on a layer/table or * (admin): r read, w write, a administer (restore); - takes them away",
        ),
    )
    gr.add_argument("name", metavar="NAME")
    gr.add_argument("target", metavar="LAYER")
    gr.add_argument("rights", metavar="RIGHTS")
    sub.add_parser("list", help=h(lang, "liệt kê tài khoản (quản trị)", "list the accounts (admin)"))
    sub.add_parser("whoami", help=h(lang, "tài khoản đang đăng nhập", "the signed-in account"))
    sub.add_parser(
        "recover-admin",
        help=h(
            lang,
            "mật khẩu dùng một lần mới cho 'admin', cho người có quyền ghi chính kho dữ liệu (tệp hoặc URL)",
            "a new one-time password for 'admin', for whoever can write the store itself (the file or the URL)",
        ),
    )
    for action in sub.choices.values():  # the command's options also after the action: `user add lan --store X`
        add_store(action, lang, nested=True)
        add_user_option(action, lang, nested=True)
        add_lang(action, lang)
        add_json(action, lang)


def _new_password(ctx: Ctx, name: str) -> str:
    return ctx.password(
        "BAOYEN_NEW_PASSWORD",
        ctx.t(f"Mật khẩu mới của {name}: ", f"New password for {name}: "),
        confirm=ctx.t("Nhập lại mật khẩu mới: ", "Type the new password again: "),
    )


def _show(ctx: Ctx, user: UserInfo, done: str) -> int:
    if ctx.args.json:
        emit_json(user.to_dict())
        return 0
    grants = ", ".join(f"{target}:{rights}" for target, rights in user.grants.items()) or "-"
    say(f"{done}: {user.name} ({user.role}); {ctx.t('quyền', 'grants')}: {grants}")
    return 0


@command(
    "user",
    vi="tài khoản và quyền: add, passwd, role, grant, list, whoami, recover-admin",
    en="accounts and rights: add, passwd, role, grant, list, whoami, recover-admin",
    configure=_configure,
)
def _user(ctx: Ctx) -> int:
    args, store = ctx.args, ctx.store()
    action = args.action
    if action == "recover-admin":
        by = os.environ.get("USER") or os.environ.get("USERNAME") or getpass.getuser()
        secret = recover_admin(store, by=f"{by} (recover-admin)")
        if args.json:
            emit_json({"user": "admin", "one_time_password": secret})
            return 0
        say(
            ctx.t(
                f"mật khẩu dùng một lần mới của 'admin' (chỉ hiện lần này): {secret} — đăng nhập rồi đặt mật khẩu "
                "mới: baoyen user passwd admin",
                f"new one-time password of 'admin' (shown only now): {secret} — sign in and set a new one: baoyen "
                "user passwd admin",
            )
        )
        return 0
    actor = ctx.actor
    if action == "add":
        made = add_user(store, args.name, args.role, _new_password(ctx, args.name), actor=actor)
        return _show(ctx, made, ctx.t("đã tạo tài khoản", "account made"))
    if action == "passwd":
        changed = set_password(store, args.name, _new_password(ctx, args.name), actor=actor)
        return _show(ctx, changed, ctx.t("đã đặt mật khẩu mới", "new password set"))
    if action == "role":
        return _show(ctx, set_role(store, args.name, args.role, actor=actor), ctx.t("đã đổi vai trò", "role changed"))
    if action == "grant":
        given = grant(store, args.name, args.target, args.rights, actor=actor)
        return _show(ctx, given, ctx.t("đã cấp quyền", "rights set"))
    if action == "whoami":
        me = whoami(store, actor)
        assert me is not None  # signed in just now
        return _show(ctx, me, ctx.t("đang đăng nhập", "signed in"))
    listing = list_users(store, actor=actor)
    if args.json:
        emit_json(listing.to_dict())
        return 0
    rows = [
        [
            u.name,
            u.role,
            ", ".join(f"{t}:{r}" for t, r in u.grants.items()) or "-",
            ctx.t("khóa đến ", "locked until ") + u.locked_until if u.locked_until else "",
            ctx.t("phải đổi mật khẩu", "must change password") if u.must_change else "",
        ]
        for u in listing.users
    ]
    print_table(rows, [ctx.t("tên", "name"), ctx.t("vai trò", "role"), ctx.t("quyền", "grants"), "", ""])
    return 0


def _configure_bind(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--address",
        default="127.0.0.1",
        help=h(lang, "địa chỉ ứng dụng sẽ nghe (mặc định 127.0.0.1)", "the address the app will listen on"),
    )


@command(
    "check-address",
    vi="kiểm tra trước khi chạy ứng dụng: nghe ngoài máy này cần đăng nhập cả khi xem (make run dùng lệnh này)",
    en="check before starting the app: listening beyond this machine needs a sign-in for viewing (make run uses it)",
    configure=_configure_bind,
)
def _check_address(ctx: Ctx) -> int:
    check_bind(ctx.args.address, ctx.settings.login)
    return 0
