"""The ISO/IEC 20000-1 management system's own records: internal audit programme, audits and findings, management reviews and the certification life cycle."""
