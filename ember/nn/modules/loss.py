"""Placeholder: filled in by the engineer who owns this family of layers."""
__all__ = []
