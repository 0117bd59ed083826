"""Everything that talks to the chain: compile, deploy, connect, send, decode reverts."""
