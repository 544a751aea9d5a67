"""What the benchmarks print beside wall-clock figures on a shared VM."""


class StealMeter:
    """Share of this machine's CPU time the hypervisor gave to other guests (/proc/stat "steal")
    from the meter's creation to each `percent()` call. On a shared VM it swings from 0 to over half within minutes, so a
    wall-clock figure means little without it."""

    def __init__(self):
        self.before = self._read()

    @staticmethod
    def _read():
        try:
            with open("/proc/stat") as f:
                fields = [int(x) for x in f.readline().split()[1:]]
        except OSError:
            return None
        return fields[7] if len(fields) > 7 else 0, sum(fields[:8])

    def percent(self):
        after = self._read()
        if not self.before or not after or after[1] == self.before[1]:
            return 0.0
        return 100.0 * (after[0] - self.before[0]) / (after[1] - self.before[1])
