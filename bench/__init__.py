"""The benchmark behind ``make bench``, outside the installed package: ``python -m bench.run``.

Helpers shared by the bench scripts live here.
"""


def fmt_size(n: int) -> str:
    """A corpus size as written in file names and tables: ``1M``, ``10k``, ``200``.

    >>> fmt_size(1_000_000), fmt_size(10_000), fmt_size(200), fmt_size(1500)
    ('1M', '10k', '200', '1500')
    """
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def peak_mb() -> float:
    """This process's peak resident memory in MB (``VmHWM``); NaN where /proc is missing."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")
