#!/usr/bin/env python3
"""Prints the README's error-code table from src/Pungi.Build/Diagnostics/ErrorCodes.cs (the one registry)."""
import re, sys, pathlib
src = pathlib.Path(__file__).resolve().parent.parent / "src/Pungi.Build/Diagnostics/ErrorCodes.cs"
rows = []
for line in src.read_text().splitlines():
    m = re.match(r'\s*public const string (\w+) = "(PUNGI\d+)";\s*//\s*(.*)', line)
    if m:
        rows.append((m.group(2), m.group(1), m.group(3).replace('|', '\\|')))
print("| code | name | when |")
print("|---|---|---|")
for code, name, when in sorted(rows):
    print(f"| {code} | {name} | {when} |")
