"""benchmarks/ncu_summary.py on the committed Nsight Compute exports of session 11 (n_h 2, bf16, H200)."""

import json
from pathlib import Path

import pytest

RAW = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "ncu_s11"


def test_summary_reads_each_launch_with_its_own_columns(tmp_path, load_script):
    """The three launches of each profile, in order, with the durations and registers printed in the details page
    (gated W/U launch: 172 registers against 152 ungated, the finding the register cap rests on), stall shares that
    sum to 1 (within 0.5%), and the hottest instruction of the W/U launch waiting on memory (long scoreboard) in both."""
    ncu = load_script("ncu_summary")
    out = tmp_path / "s.json"
    for g in (0, 1):
        ncu.main(
            [
                str(out),
                str(RAW / f"ncu_details_g{g}.csv.gz"),
                str(RAW / f"ncu_src_g{g}.csv.gz"),
                "--label",
                f"g{g}",
            ]
        )
    res = json.loads(out.read_text())
    kernels = ["_wy_fwd_kernel", "_wy_fwd_kernel", "_fwd_scan_kernel"]
    for g, durations, regs in (
        (0, [651.55, 398.34, 580.16], [255, 152, 255]),
        (1, [734.66, 510.5, 798.18], [255, 172, 255]),
    ):
        launches = res[f"g{g}"]["launches"]
        assert [x["kernel"] for x in launches] == kernels
        assert [x["duration_us"] for x in launches] == durations
        assert [x["registers"] for x in launches] == regs
        for x in launches:
            # ~0.2% of the samples sit in states that have no stall_* column in this export
            assert sum(x["stall_share"].values()) == pytest.approx(1.0, abs=5e-3)
        assert max(launches[1]["stall_share"], key=launches[1]["stall_share"].get) == "long_sb"


def test_mismatched_pages_are_refused(tmp_path, load_script):
    """A source page from another profile (one launch of another kernel) next to a details page is refused."""
    ncu = load_script("ncu_summary")
    (tmp_path / "one.csv").write_text(
        '"Kernel Name","_other_kernel",\n"Address","Source","Warp Stall Sampling (All Samples)","Instructions Executed"\n"0","NOP","1","1"\n'
    )
    with pytest.raises(SystemExit, match="different launches"):
        ncu.main([str(tmp_path / "s.json"), str(RAW / "ncu_details_g0.csv.gz"), str(tmp_path / "one.csv")])
