"""Open data: awards as a 360Giving package, validated against the copied official schema."""
