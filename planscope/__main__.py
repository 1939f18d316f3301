"""`python -m planscope` = the `planscope` command."""
from planscope.cli.main import main

main()
