"""What a report folder holds, read and checked. Takes the user's files (report.yaml,
statement.yaml, commentary.md, the language files); gives typed objects (`ReportSettings`,
`Statement`, `Commentary`, `Language`, `Period`) whose errors name the file and the place.
`filegate` and `limits` bound what any file may cost."""
