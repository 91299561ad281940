"""Korean public-sector SLA evaluation (Ministry of the Interior and Safety standard): indicators, monthly results, sanctions and penalties."""
