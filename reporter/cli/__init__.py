"""The commands. Takes the command line; gives exit codes and one line per file written or per
mistake. `app` wires options to the stages and holds no logic; `progress` shows a production
run, `preview` rebuilds on every change, `validation` lays out `reporter validate`."""
