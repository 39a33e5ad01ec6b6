from reporter.cli.app import run

run()
