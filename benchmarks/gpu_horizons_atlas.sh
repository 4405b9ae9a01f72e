# H200 session: horizons of issue 5 and the GPU atlas. Run from the repo root on the device: bash benchmarks/gpu_horizons_atlas.sh (OUT=results folder).
set -x
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site
DEADLINE_S=200 timeout 260 python3 benchmarks/horizons_gpu.py $OUT/horizons_h200.json 2>&1 | grep -v Warn | tail -25
timeout 270 python3 -m verify atlas --device cuda --backend chunked --length 100000 --batch 16 --groups Z2 Z3 Z5 S3 D4 Q8 A4 S4 A5 S5 --out $OUT/atlas_h200 --workers 1 2>&1 | tail -60
ls $OUT/atlas_h200 | head
