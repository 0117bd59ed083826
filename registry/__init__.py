"""Registry of city-funded R&D outcomes and commercialization on a permissioned EVM chain."""

__version__ = "0.1.0"
