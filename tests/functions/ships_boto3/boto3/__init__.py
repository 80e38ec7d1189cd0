"""Stands for a boto3 the function pinned and shipped in its zip."""

__version__ = "0.0.0-shipped"
