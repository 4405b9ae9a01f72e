# H200, session 19 call 6 (the last): the committed defaults end to end after pass 2 moved to K blocks (kblocks, tiles
# of 4096 fp32; pass 1 on V blocks of 32 at n_h 1-2, 16 at 3-4), no switch set. Gradients against float64 at n_h 1-4,
# with and without a state, then fp32 forward+backward next to fla with the profile. Carry `.whl`; ~3 minutes. Back: s19e_*.json
P=s19e bash benchmarks/gpu_session19c.sh
