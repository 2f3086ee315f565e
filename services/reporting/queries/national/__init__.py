"""Read side of the national view: compliance matrix, indicator roll-up, support requests."""
