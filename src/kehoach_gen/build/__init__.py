"""build/: what writes a workspace's outputs: the pipeline of one plan, batches, watch, collect/report runs,
send/remind runs.

Owns the build lock, the manifest (which inputs made which output, what was edited by hand), PDF, the outbox
and its record of sent messages, and the SMTP session.
May import followup, word, excel, spec and the base modules; never cli.
"""
