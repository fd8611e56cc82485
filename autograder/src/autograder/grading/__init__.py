"""``course grade``: the grading engine, one module a job.

================  ============================================================================
coordinator       grades a lab's submissions: sends jobs, records each result, flags failures
journal           the submissions of a lab, and the record of those already graded (resume)
results           what grading one submission came to
bundle            what a grader is sent and sends back, as bytes
runners           where jobs run: a pool of local processes, or a Dask cluster
process           a long-lived grading process, killed with its kernel at the time limit
worker            one submission graded by nbgrader's Autograde in a private course
progress          the terminal: a line per submission, then a summary
================  ============================================================================
"""
