"""Report documents (DOCX, XLSX) built from the analyses and the store. Entry tier: may use layers and analysis."""
