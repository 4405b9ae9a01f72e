"""verify package of deltaproof."""
