"""Mineralstrategi: a regional mineral strategy from drafting to cycle-aware follow-up."""

__version__ = "0.1.0"
