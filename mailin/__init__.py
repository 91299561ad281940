"""E-mail in: mailboxes polled over IMAP or piped by an MTA (ingest_email), parsed and threaded onto tickets."""
