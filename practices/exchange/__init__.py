"""The ``kb-exchange/1`` format: bulk import and open-data export of the knowledge base."""
