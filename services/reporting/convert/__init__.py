"""Reporting views to protobuf resources and events, and API fields to domain values."""
