"""The CLI's commands, thin over the library: parse options, call one function, render the result.

`cli.py` at the project root assembles them into the `newsarchive` application.
"""
