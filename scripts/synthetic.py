#!/usr/bin/env python3
"""Write a synthetic catalog for tests and benchmarks: `scripts/synthetic.py DEST [N] [--seed S]`
(devtools/synthetic.py; synthetic records never go into practices/)."""

from devtools.synthetic import main

if __name__ == "__main__":
    main()
