"""Instructions executed by selfeval's commands and by the floors (`make bench-count`, needs valgrind).

Wall time on a shared virtual machine drifts by a third from one minute to the next; the number of
instructions a command executes does not (two runs agree to 0.1 %). This counts them with valgrind's
callgrind for the floors and selfeval's start-up commands, so that a change to start-up work can be
judged in one run of ~1 minute. Instructions are not time: file reads and page faults cost time
without instructions, so the bench's wall-clock ratios stay the measure; this is the compass.

``--against REV`` also counts selfeval as it was at git revision REV (checked out into a temporary
worktree and run from there), so that "before and after" of a change is one command.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from measure import USER_ENV
from run import FLOOR, FLOOR_BUILD, USED, USED_BUILD, compile_package, single_commands

_COLLECTED = re.compile(r"Collected : (\d+)")


ROOT = Path(__file__).resolve().parents[1]
SELFEVAL = ["selfeval validate", "selfeval build", "selfeval build（含附件1 的示例）"]


def instructions(command: list[str], env: dict[str, str] = USER_ENV) -> int:
    """Instructions the command executes, all its code counted (Python, libraries, the kernel excluded)."""
    subprocess.run(command, env=env, capture_output=True, check=False)  # writes any bytecode still missing
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
                          env=env, capture_output=True, text=True, check=False)
    found = _COLLECTED.search(done.stderr)
    if not found:
        raise SystemExit(f"valgrind did not count {command[:2]}: {done.stderr[-300:]}")
    return int(found.group(1))


def _counts_at(revision: str, commands: dict[str, list[str]], work: Path) -> dict[str, int]:
    """selfeval's commands counted as the package was at ``revision``."""
    tree = work / "then"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), revision], check=True)
    try:
        env = {**USER_ENV, "PYTHONPATH": str(tree / "src")}  # before the installed (editable) package
        return {name: instructions(commands[name], env) for name in SELFEVAL}
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--against", metavar="REV", default=os.environ.get("AGAINST") or None,
                        help="also count selfeval at this git revision (before and after a change)")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    compile_package()
    names = [FLOOR, USED, FLOOR_BUILD, USED_BUILD, *SELFEVAL]
    with tempfile.TemporaryDirectory(prefix="selfeval-count-") as tmp:
        commands = single_commands(Path(tmp))
        counts = {name: instructions(commands[name]) for name in names}
        then = _counts_at(args.against, commands, Path(tmp)) if args.against else {}
    print(f"百万条指令{'（之前 → 现在）' if then else ''}")
    for name in names:
        before = f"{then[name] / 1e6:.1f} → " if name in then else ""
        print(f"  {name}: {before}{counts[name] / 1e6:.1f}")
    for command, floor, used in (("selfeval validate", FLOOR, USED), ("selfeval build", FLOOR_BUILD, USED_BUILD)):
        own = counts[command] - counts[used]
        was = f"{(then[command] - counts[used]) / 1e6:.1f} → " if then else ""
        print(f"{command}：导入下限的 {counts[command] / counts[floor]:.2f}×；自己的部分（减去“{used}”）"
              f"{was}{own / 1e6:.1f} 百万条")


if __name__ == "__main__":
    main()
