-- Keycloak keeps its data in its own database beside the platform's (first start only).
CREATE DATABASE keycloak;
