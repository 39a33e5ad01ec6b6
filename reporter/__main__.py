from reporter.cli import app

app(prog_name="reporter")
