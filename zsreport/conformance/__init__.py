"""Conformance: measures finished PDF and DOCX files against GB/T 9704-2012, rule by rule.
It stands beside the pipeline: it reads files, never the pipeline's inputs."""
