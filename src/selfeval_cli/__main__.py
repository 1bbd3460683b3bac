from selfeval_cli.cli import run

run()
