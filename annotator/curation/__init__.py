"""Team curation: merge, agreement, adjudication, consistency."""
