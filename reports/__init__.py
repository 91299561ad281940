"""Monthly service reports per organisation and service: frozen snapshots, PDF and XLSX."""
