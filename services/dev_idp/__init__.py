"""Keycloak-compatible dev identity provider for embedded mode.

Seeded from deploy/keycloak/nlc-realm.json (the file a real Keycloak imports), it serves
Keycloak's paths under /realms/nlc, so a real Keycloak replaces it by changing one URL.

Demo users (password "demo"), from deploy/keycloak/demo-users.json beside the realm (kept out of
the realm a production Keycloak imports; NLC_DEMO_USERS_FILE names another file), and the fixed
organisation ids the demo data uses as `org_id`:

- 0b1c7a52-0000-4000-8000-000000000001 national agency: admin, reviewer, dpo
- 0b1c7a52-0000-4000-8000-000000000002 city hall of Riverton: city, manager
- 0b1c7a52-0000-4000-8000-000000000003 CSO "Bridges Youth Network": cso, sharer, bridges-dpo
- 0b1c7a52-0000-4000-8000-000000000004 private-sector funder: funder
- 0b1c7a52-0000-4000-8000-000000000005 research institute: panel
- 0b1c7a52-0000-4000-8000-000000000006 national audit office: auditor
- 0b1c7a52-0000-4000-8000-000000000009 Riverton Police: police, police-dpo
- 0b1c7a52-0000-4000-8000-000000000010 Riverton Social Services: social, social-dpo

Client secrets come from NLC_UI_CLIENT_SECRET / NLC_SERVICES_CLIENT_SECRET, else are generated once
into <data_dir>/idp/<client>-client-secret; the RSA signing key lives in <data_dir>/idp too.
The nlc-ui client's redirect URIs name port ${NLC_UI_PORT:8501}, which `nlc up` sets to the UI port.
Access tokens last the realm's accessTokenLifespan (300 s), or a client's own
`access.token.lifespan` attribute as in Keycloak (nlc-ui: 1800 s, Streamlit does not refresh).
"""

from services.dev_idp.app import create_app, default_realm_file, start
from services.dev_idp.keys import SigningKey
from services.dev_idp.realm import client_secret_file, resolve_client_secret
from services.dev_idp.tokens import TokenMinter

__all__ = [
    "SigningKey",
    "TokenMinter",
    "client_secret_file",
    "create_app",
    "default_realm_file",
    "resolve_client_secret",
    "start",
]
