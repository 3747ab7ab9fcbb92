#!/usr/bin/env python3
"""Compiles bench/typst/plan.typ on an exported plan with Typst's Python binding
(`pip install typst`), as `typst compile` would:

    python3 bench/typst_compile.py TEMPLATE.typ EXPORTED.json OUT.pdf FONT_DIR

Paths may be relative; the JSON is handed to the template as `sys.inputs.data` (an
absolute path, the project root being "/"). System fonts are ignored: only FONT_DIR's
(Liberation Serif in fonts/) and Typst's own are used, as with `--ignore-system-fonts`.
"""

import os
import sys

import typst


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: typst_compile.py TEMPLATE.typ EXPORTED.json OUT.pdf FONT_DIR")
    template, data, out, fonts = (os.path.abspath(a) for a in sys.argv[1:])
    typst.compile(
        template,
        output=out,
        root="/",
        font_paths=[fonts],
        ignore_system_fonts=True,
        sys_inputs={"data": data},
    )


if __name__ == "__main__":
    main()
