"""``python -m selfeval_cli``."""

from selfeval_cli.cli import run

if __name__ == "__main__":  # a spawned worker imports this module too: it must not run the CLI again
    run()
