"""The book's machinery: published constants, checks and verdicts, results files and their fingerprints, the
table of contents, glue, the plot style, and the one call that finishes a chapter.

It depends on scalinglib; scalinglib never imports it.
"""
