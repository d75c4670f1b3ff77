"""Wait until an HTTP endpoint answers 200: `python -m bot.wait_for URL SECONDS`."""

import sys
import time
import urllib.error
import urllib.request


def wait_for(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    return False


if __name__ == "__main__":
    url, seconds = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    if not wait_for(url, seconds):
        print(f"{url} did not answer within {seconds:.0f} s", file=sys.stderr)
        sys.exit(1)
