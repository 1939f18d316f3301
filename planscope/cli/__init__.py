"""The `planscope` command line: the top of the house; it imports the stages and flows, nothing imports it."""
