# H200, session 16 call 7. Carry `.whl`; ~5 minutes (timeout_s 380).
# The fp32 table's gaps (kernels/README.md §4): tf32x3 at n_h 4 was never timed next to fla, and `ieee` under the
# current kernels was timed at n_h 2 only (session 13: 81 ms; n_h 1, 3, 4 are session 3's figures at ptxas's default
# level with the fused WY kernel). Forward, ungated, B=8 T=4096 H=16 K=V=128 fp32, fla's fused recurrent kernel on the
# interleaved stream timed first in each process. In order of value, each under its own limit so a slow compile
# loses only its own part: (a) n_h 4 tf32x3 and ieee; (b) n_h 3 ieee; (c) n_h 1 ieee.
# Back: s16g_n4.json/.log, s16g_n3.json/.log, s16g_n1.json/.log
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl 2>&1 | tail -1
export PYTHONPATH=.:/tmp/site PYTHONUNBUFFERED=1
F=DELTAPROOF_CHUNKED_FP32_DOTS
timeout 150 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s16g_n4.json 4 $F=tf32x3 $F=ieee --fla > $OUT/s16g_n4.log 2>&1
echo "n4 rc=$?"; grep "ms" $OUT/s16g_n4.log | cut -c1-300
timeout 80 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s16g_n3.json 3 $F=ieee --fla > $OUT/s16g_n3.log 2>&1
echo "n3 rc=$?"; grep "ms" $OUT/s16g_n3.log | cut -c1-300
timeout 70 python3 benchmarks/fp32_fwd_time_gpu.py $OUT/s16g_n1.json 1 $F=ieee --fla > $OUT/s16g_n1.log 2>&1
echo "n1 rc=$?"; grep "ms" $OUT/s16g_n1.log | cut -c1-300
