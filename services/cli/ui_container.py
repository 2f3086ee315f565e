"""The web UI in a container: write its login settings from the environment, then run Streamlit.

`python -m services.cli.ui_container` is what the UI image runs (deploy/). Nothing secret is
baked into the image: the settings file is written at each start from

- NLC_OIDC_ISSUER       the Keycloak realm URL, e.g. https://id.example.org/realms/nlc
- NLC_UI_CLIENT_SECRET  the secret of the Keycloak client nlc-ui
- NLC_UI_PUBLIC_URL     where people open the UI (the redirect URI Keycloak allows for nlc-ui)
- NLC_UI_COOKIE_SECRET  signs the login cookie; the same value on every UI replica
"""

from __future__ import annotations

import os
import sys

from services.cli.ui import UI_SECRET_ENV, ui_argv, ui_dir, write_secrets
from services.common.config import load_settings

REQUIRED = ("NLC_OIDC_ISSUER", UI_SECRET_ENV, "NLC_UI_PUBLIC_URL", "NLC_UI_COOKIE_SECRET")


def main() -> None:
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        sys.exit(f"error: the UI needs {', '.join(missing)} in its environment")
    settings = load_settings()
    write_secrets(
        settings,
        settings.issuer,
        os.environ[UI_SECRET_ENV],
        public_url=os.environ["NLC_UI_PUBLIC_URL"],
        cookie_secret=os.environ["NLC_UI_COOKIE_SECRET"],
    )
    os.chdir(ui_dir(settings))
    argv = ui_argv(settings)
    os.execv(argv[0], argv)


if __name__ == "__main__":
    main()
