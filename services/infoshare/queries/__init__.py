"""Infoshare read side: lists and views, plain selects that change nothing."""
