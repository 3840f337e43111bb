"""GGUF loading: the first load of `smollm2` converts the file once; later loads read the cache in seconds.

    python benchmarks/bench_gguf.py            # a fresh temporary cache, 3 cached loads

Prints the conversion time (de-quantizing SmolLM2-135M-Instruct's Q4_1 GGUF into a safetensors
directory), then the median time of a cached load (hashing the file, finding the directory and loading
the model with its tokenizer, as `--model smollm2` does), and their ratio.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from toolgym.models import ModelOptions
from toolgym.models.gguf import converted_dir, smollm2_file
from toolgym.models.hf_model import load_pretrained


def main(repeats: int = 3) -> None:
    gguf = smollm2_file()
    with tempfile.TemporaryDirectory(prefix="bench-gguf-") as tmp:
        start = time.perf_counter()
        converted_dir(gguf, Path(tmp))
        convert = time.perf_counter() - start
        loads = []
        for _ in range(repeats):
            start = time.perf_counter()
            load_pretrained(converted_dir(gguf, Path(tmp)), ModelOptions(device="cpu").device or "cpu")
            loads.append(time.perf_counter() - start)
    cached = statistics.median(loads)
    print(json.dumps({"file_mb": round(gguf.stat().st_size / 1e6, 1), "first_load_convert_s": round(convert, 1),
                      "cached_load_s_median": round(cached, 2), "cached_loads_s": [round(x, 2) for x in loads],
                      "speedup": round(convert / cached, 1)}, indent=2))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
