# H200, session 17 call 9. Carry `.whl` (make wheels); ~1.5 minutes (timeout_s 200).
# Call 8 (gpu_session17g.sh, benchmarks/kernels.py: no initial state) gave the recurrent default at ungated n_h 2
# (`ahead`, V blocks of 16) 4.80 ms where calls 4-6 (recurrent_fp32_gpu.py, with an initial state) gave 3.9-4.0.
# This times `ahead` and `ahead2` on V blocks of 16 without an initial state (--no-h0), ungated n_h 2 and 3.
# Back: s17h_*.json
P=s17h
source benchmarks/recurrent_gpu_lib.sh
F=DELTAPROOF_RECURRENT_FORM
run fp32_noh0 150 $F=ahead $F=ahead2 --no-h0 --n-h 2 3
