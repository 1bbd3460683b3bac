from selfeval_cli.cli import main

main()
