"""Long calls release the GIL: Python threads keep running while amorph computes."""

import threading
import time

import numpy as np

import amorph


def test_long_calls_release_the_gil(data):
    traj = amorph.read_trajectory(data / "diffusion/Li6PS5Cl_500K_XDATCAR.gz", 100.0)
    calls, span = 3, {}
    done = threading.Event()

    def work():
        t0 = time.perf_counter()
        for _ in range(calls):
            amorph.diffusion(traj, temperature=500, time_step=2, step_skip=50)
        span["per_call"] = (time.perf_counter() - t0) / calls
        done.set()

    stamps = []
    worker = threading.Thread(target=work)
    worker.start()
    while not done.is_set():
        stamps.append(time.perf_counter())
    worker.join()
    # Held through a call, the GIL would stop this loop for the whole call; released, the loop
    # only waits for Python's thread switches (5 ms) and the OS scheduler.
    longest = float(np.max(np.diff(stamps)))
    assert span["per_call"] > 0.01, span
    assert longest < 0.5 * span["per_call"], (longest, span["per_call"])
