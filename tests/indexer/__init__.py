"""Tests for the matching part of the source tree."""
