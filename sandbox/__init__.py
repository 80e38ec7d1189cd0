"""The sandbox's glue: shared settings, the seed, provisioning, and the process that serves every part."""
