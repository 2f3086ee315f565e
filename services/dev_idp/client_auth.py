"""Client authentication at the token and logout endpoints (client_secret_post or Basic)."""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping
from urllib.parse import unquote_plus

from services.dev_idp.errors import OAuthError
from services.dev_idp.realm import Client, Realm

INVALID_CREDENTIALS = "Invalid client or Invalid client credentials"


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (unquote_plus(client_id), unquote_plus(secret)) if sep else None


def authenticate_client(realm: Realm, form: Mapping[str, str], authorization: str | None) -> Client:
    """The calling client, checked the way Keycloak's client-secret authenticator does."""
    basic = _basic_credentials(authorization)
    client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret"))
    if not client_id:
        raise OAuthError("invalid_client", "Missing parameter: client_id", status=401)
    client = realm.clients.get(client_id)
    if client is None or not client.enabled:
        raise OAuthError("invalid_client", INVALID_CREDENTIALS, status=401)
    if client.public:
        return client
    if not secret:
        raise OAuthError("unauthorized_client", "Client secret not provided in request", 401)
    if client.secret is None or not hmac.compare_digest(secret.encode(), client.secret.encode()):
        raise OAuthError("unauthorized_client", INVALID_CREDENTIALS, status=401)
    return client
