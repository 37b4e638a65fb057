#!/usr/bin/env python
from guanai.cli import main

if __name__ == "__main__":
    main()
