"""One build. Takes what was asked (folders, templates, languages, format); gives the files
written: `plan` names the documents, `pipeline` strings the template stages, `document` renders
and writes each atomically, `outputs` holds the formats and the `-o` rule."""
