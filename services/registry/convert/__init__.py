"""Registry views to protobuf resources and event messages."""
