#!/usr/bin/env python3
"""Writes a CSV of plausible sales with the lab's columns, for demos and load tests.

usage: scripts/sample-sales.py ROWS [SEED] > sales.csv
Amt, Tax and Total are left empty: the branch computes them at its own tax rate.
"""
import random
import sys
from datetime import date, timedelta

REGIONS = ["North", "South", "East", "West", "Central"]
PRODUCTS = ["Paper", "Pens", "Binders", "Desk", "Chair", "Pen Set", "Stapler", "Lamp", "Café crème", "Ordner «A4»"]


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 42)
    start = date(2026, 1, 1)
    out = sys.stdout
    out.write("Date,Region,Product,Qty,Cost,Amt,Tax,Total\n")
    for _ in range(rows):
        day = start + timedelta(days=rng.randrange(330))
        product = rng.choice(PRODUCTS)
        qty = rng.randint(1, 50)
        cost = f"{rng.randint(50, 50000) / 100:.2f}"
        out.write(f"{day.isoformat()},{rng.choice(REGIONS)},\"{product}\",{qty},{cost},,,\n")


if __name__ == "__main__":
    main()
