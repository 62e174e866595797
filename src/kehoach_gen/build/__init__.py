"""build/: what writes a workspace's outputs: the pipeline of one plan, batches, watch, collect/report runs,
send/remind runs.

Owns the build lock, the manifest and its journal (which inputs made which output, what was edited by hand;
`writing` writes one output under those rules), the worker processes of a batch, PDF, the outbox
and its record of sent messages, and the SMTP session.
May import followup, word, excel, spec and the base modules; never cli.
"""
