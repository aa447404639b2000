"""`codesearch mcp`: the index as Model Context Protocol tools for coding agents (a surface, like cli/)."""
