#!/bin/sh
# multirater's elastix peer: registers pairs of images with Debian's elastix (B-spline, elastix-bspline.txt beside
# this script) and writes each pair's displacement field with transformix. PAIRS is a text file of lines
# "FIXED MOVING OUTDIR" (MetaImage files, no spaces in paths); OUTDIR/deformationField.mhd is the field in mm
# (x + u(x) maps a fixed-image point into the moving image). Single-threaded, so times compare with our code's.
# Usage: elastix-pairs.sh PAIRS
set -eu
params="$(dirname "$0")/elastix-bspline.txt"
while read -r fixed moving out; do
  [ -n "$fixed" ] || continue
  mkdir -p "$out"
  elastix -f "$fixed" -m "$moving" -p "$params" -out "$out" -threads 1 > "$out/elastix.out" 2>&1 || { tail -5 "$out/elastix.out" >&2; exit 1; }
  transformix -def all -tp "$out/TransformParameters.0.txt" -out "$out" -threads 1 > "$out/transformix.out" 2>&1 || { tail -5 "$out/transformix.out" >&2; exit 1; }
done < "$1"
