"""Checks that every product kernel of a manifest has the tiles that a
tuned-tiles table (tensorc tune) holds for its key, and that the table has
an entry for every key. Prints one line; exits 1 on a mismatch."""
import json
import sys

table = json.load(open(sys.argv[1]))["tiles"]
manifest = json.load(open(sys.argv[2]))
kernels = [k for k in manifest["kernels"] if "tile_key" in k]
wrong = [f"{k['name']}: {k['tiles']} but the table has "
         f"{table.get(k['tile_key'], {}).get('tiles')}"
         for k in kernels if table.get(k["tile_key"], {}).get("tiles") != k["tiles"]]
if wrong or not kernels:
    print("MISMATCH:", "; ".join(wrong) or "no product kernel")
    sys.exit(1)
print(f"{len({k['tile_key'] for k in kernels})} tuned keys; every product "
      "kernel of the manifest has its key's tiles")
