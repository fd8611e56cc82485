"""The instructor's side of the course: the ``course`` command and nbgrader's plug-ins.

Code only: the course's data (lab sources, catalogues, outside checks, submissions, the
gradebook) lives beside this package under ``autograder/`` (see :mod:`autograder.layout`).

- :mod:`autograder.cli` and :mod:`autograder.commands`: the ``course`` command;
- :mod:`autograder.plugins`: what ``nbgrader_config.py`` plugs into nbgrader;
- :mod:`autograder.grading`: ``course grade``, the parallel, resumable grading engine;
- :mod:`autograder.sandbox`, :mod:`autograder.verify`: learner code run in a sandbox, and
  HTTP behaviour checked from outside it;
- operations the commands share: :mod:`~autograder.build`, :mod:`~autograder.lint`,
  :mod:`~autograder.feedback`, :mod:`~autograder.report`, :mod:`~autograder.sample_class`,
  :mod:`~autograder.benchmark`, :mod:`~autograder.gradebook`, :mod:`~autograder.catalogue`;
- foundations every module may import: :mod:`~autograder.errors`, :mod:`~autograder.layout`,
  :mod:`~autograder.config`.

What learners run and lab cells import is the :mod:`labkit` package.
"""
