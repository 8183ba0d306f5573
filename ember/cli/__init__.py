"""The subcommands of the ``ember`` command (``ember/__main__.py`` puts them together).

Each command module (``linreg.py``, ``graph.py``) has ``add_parser(subparsers)``, which declares
the subcommand's options, and ``run(args)``, which does the work and returns the exit status;
the other modules are their parts (``linreg_data.py``, ``linreg_plots.py``, ``linreg_text.py``,
``expr.py``) and what they share (``arguments.py``: option types; ``outputs.py``: files checked
first and written together at the end).  Bad input raises :class:`CommandError`; the command
prints its message as one line and exits with status 2, having written no file.
"""
import argparse
import re

__all__ = ["ArgumentParser", "CommandError", "HelpFormatter"]


class CommandError(Exception):
    """Input the command cannot use; the message is shown to the user as it is."""


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help, except that a text with line breaks (an example) is kept as written,
    rather than re-wrapped to the terminal's width in the middle of a command."""

    def _fill_text(self, text, width, indent):
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(True))
        return super()._fill_text(text, width, indent)


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with errors on one line (``ember linreg: error: ...``) and exit status 2, and
    arguments such as ``"-x*w"`` or ``-3,4`` read as values, not options: an option is ``-`` or
    ``--`` and a name."""

    _OPTION = re.compile(r"--?[A-Za-z][\w-]*(=.*)?$", re.S)

    def _parse_optional(self, arg_string):
        if arg_string.startswith("-") and arg_string not in self._option_string_actions \
                and not self._OPTION.match(arg_string):
            return None                 # a value: a formula, a number
        return super()._parse_optional(arg_string)

    def error(self, message):
        self.exit(2, "{0}: error: {1} (see {0} --help)\n".format(self.prog, message))
