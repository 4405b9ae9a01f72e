# H200, session 17 call 10. Carry `.whl` (make wheels); ~1.5 minutes (timeout_s 200).
# After call 9 the default form depends on the initial state (kernels.recurrent.recurrent_default_form: `ahead` only
# at ungated n_h 2-3 and gated n_h 2 with an initial state). This times the defaults without an initial state (as
# benchmarks/kernels.py runs them), ungated n_h 1-4, and gated n_h 2 next to `ahead`. Back: s17i_*.json
P=s17i
source benchmarks/recurrent_gpu_lib.sh
run noh0 100 default --no-h0 --n-h 1 2 3 4
run noh0_gated 60 default DELTAPROOF_RECURRENT_FORM=ahead --no-h0 --gated --n-h 2
