"""The memory limit covers everything a run allocates; WebAssembly, SharedArrayBuffer, Atomics are absent."""

import pytest

from review.engine import EngineConfig
from tests.review.helpers import review

LIMITS = EngineConfig(cpu_seconds=5.0, heap_mb=64)
ROWS = "datagrid.addColumn('a'); datagrid.addCell('x'); datagrid.endRow();\n"

OUTSIDE_THE_HEAP = {
    "one 1 GiB buffer": "var b = new Uint8Array(1 << 30); b.fill(1);\n",
    "many 16 MiB buffers": "var all = []; for (var i = 0; i < 64; i++) { var b = new Uint8Array(16 << 20); b.fill(1); all.push(b); }\n",
    "growing typed arrays": "var all = []; while (true) { all.push(new Float64Array(1 << 21).fill(1.5)); }\n",
    "a DataView over a big buffer": "var v = new DataView(new ArrayBuffer(512 << 20)); for (var i = 0; i < v.byteLength; i += 4096) { v.setUint8(i, 1); }\n",
}


@pytest.mark.parametrize("name", list(OUTSIDE_THE_HEAP))
def test_it_ends_a_run_that_allocates_past_the_limit_outside_the_heap(name):
    result = review(processdata=ROWS + OUTSIDE_THE_HEAP[name], config=LIMITS)
    assert "memory-limit" in {f.rule for f in result.findings}, [f.message for f in result.findings]
    assert result.verdict == "fail"


@pytest.mark.parametrize("name", ["WebAssembly", "SharedArrayBuffer", "Atomics"])
def test_it_offers_no_webassembly_sharedarraybuffer_or_atomics(name):
    result = review(processdata=ROWS + f"if (typeof {name} !== 'undefined' || typeof this.{name} !== 'undefined') "
                                       f"{{ throw new Error('{name} is there'); }}\n", config=LIMITS)
    assert "runtime-error" not in {f.rule for f in result.findings}


def test_an_honest_run_with_buffers_under_the_limit_passes():
    source = ROWS + "var b = new Uint8Array(8 << 20); b.fill(7); var s = 0; for (var i = 0; i < b.length; i += 4096) { s += b[i]; }\n"
    result = review(processdata=source, config=LIMITS)
    assert not {"memory-limit", "runtime-error"} & {f.rule for f in result.findings}


def test_a_worker_goes_on_after_a_run_hit_the_limit():
    review(processdata=ROWS + OUTSIDE_THE_HEAP["one 1 GiB buffer"], config=LIMITS)
    result = review(config=LIMITS)
    assert not [f for f in result.findings if f.phase != "automated" or f.rule != "missing-field"]
