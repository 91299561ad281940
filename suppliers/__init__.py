"""Suppliers, contracts, underpinning contracts and OLAs, their alignment with the SLAs they support, scorecards and disputes."""
