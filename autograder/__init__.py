"""The grading side of the course: rubric, build, learner check, and nbgrader plug-ins.

The `course` command (see :mod:`autograder.cli`) is the entry point; nbgrader itself
reads the plug-ins through the repository's ``nbgrader_config.py``.
"""
