"""``python -m console serve | add-user | set-password | unlock | users``.

    python -m console add-user wang --name 王芳 --role staff     # asks for the password twice
    CONSOLE_PASSWORD=... python -m console add-user admin --role admin   # from a script
    python -m console serve                                          # 127.0.0.1:5080 (CONSOLE_PORT)

Passwords are read from the terminal (never echoed) or from CONSOLE_PASSWORD, never from the command line
(which every local user can read in ps).
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys

from console.settings import Settings

PASSWORD_VARIABLE = "CONSOLE_PASSWORD"


def _password(confirm: bool = True) -> str:
    if os.environ.get(PASSWORD_VARIABLE):
        return os.environ[PASSWORD_VARIABLE]
    if not sys.stdin.isatty():
        raise SystemExit(f"no terminal to ask for the password: set {PASSWORD_VARIABLE}")
    first = getpass.getpass("password: ")
    if confirm and getpass.getpass("again: ") != first:
        raise SystemExit("the two passwords differ; nothing changed")
    return first


def _accounts(settings: Settings):
    from console.security import Accounts
    from console.store import Store

    return Accounts(Store(settings.db_url), settings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console", description="hotline staff console")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the console (127.0.0.1:5080; CONSOLE_HOST, CONSOLE_PORT)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    add = sub.add_parser("add-user", help="create a staff account")
    add.add_argument("username")
    add.add_argument("--name", default="", help="display name shown to colleagues (default: the username)")
    add.add_argument("--role", choices=("staff", "admin"), default="staff")
    for name, text in (("set-password", "set a new password (ends the user's sessions)"),
                       ("unlock", "lift a lockout after repeated wrong passwords")):
        sub.add_parser(name, help=text).add_argument("username")
    sub.add_parser("users", help="list the accounts")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if settings.db_url.startswith("sqlite:///"):
        os.makedirs(os.path.dirname(settings.db_url[len("sqlite:///"):]) or ".", exist_ok=True)

    if args.command == "serve":
        from console.app import create_app

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        app = create_app(settings)
        host, port = args.host or settings.host, args.port or settings.port
        print(f"console: http://{host}:{port}/ (Rasa at {settings.rasa_url})", flush=True)
        if not app.ctx.store.all_staff():
            print("no staff accounts yet: python -m console add-user <name> --name <display name> --role admin",
                  flush=True)
        app.run(host=host, port=port, access_log=False, workers=1, motd=False)
        return 0

    accounts = _accounts(settings)
    if args.command == "users":
        for s in accounts.store.all_staff():
            print(f"{s.username}\t{s.role}\t{s.display_name}")
        return 0
    if accounts.store.staff_row(args.username) is None and args.command != "add-user":
        print(f"no such user: {args.username}", file=sys.stderr)
        return 1
    try:
        if args.command == "add-user":
            from console.store import StaffExists

            try:
                accounts.create(args.username, args.name, args.role, _password())
            except StaffExists:
                print(f"user {args.username} exists already (set-password changes the password)", file=sys.stderr)
                return 1
            print(f"created {args.role} {args.username}")
        elif args.command == "set-password":
            accounts.set_password(args.username, _password())
            print(f"password of {args.username} changed; their sessions are closed")
        elif args.command == "unlock":
            accounts.unlock(args.username)
            print(f"{args.username} unlocked")
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
