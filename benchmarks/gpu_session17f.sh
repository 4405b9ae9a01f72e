# H200, session 17 call 6. Carry `.whl` (make wheels); ~4 minutes (timeout_s 420).
# Call 5 (gpu_session17e.sh) timed DELTAPROOF_RECURRENT_FORM=ahead2 (loads two rows ahead, the query a token ahead):
# faster than `ahead` at n_h 1 and 4 and gated n_h 3, slower at n_h 2 and ungated n_h 3, and at n_h 2 fastest on V
# blocks of 32. The defaults now follow that table (kernels.recurrent._RECURRENT_TUNED at commit d88e5b2, fp32 at K tiles of 128;
# `ahead2` on V blocks of 16 elsewhere). This re-times the table's defaults next to call 4's (`ahead` on V blocks of
# 16) and `ahead2` on V blocks of 16, in one process per case, fp32 ungated and gated n_h 1-4, then bf16 n_h 1-4
# (fla not timed there). Back: s17f_*.json
# `default` is the checkout's defaults: at d88e5b2 that table; since call 9, recurrent_default_form (V blocks of 16).
P=s17f
source benchmarks/recurrent_gpu_lib.sh
L=DELTAPROOF_RECURRENT_LAUNCH=bv=16,warps=1
F=DELTAPROOF_RECURRENT_FORM
S="default $F=ahead+$L $F=ahead2+$L"
run fp32 120 $S --n-h 1 2 3 4
run fp32_gated 120 $S --gated --n-h 1 2 3 4
run bf16 90 $S --dtype bf16 --n-h 1 2 3 4
