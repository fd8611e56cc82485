"""nbgrader's settings for handing in labs through an exchange (``nbgrader submit`` from ``labs/``).

nbgrader reads this file when it runs in this folder. It names the course, so that
``nbgrader submit``, ``nbgrader fetch_feedback`` and ``nbgrader list`` find it in the
exchange without ``--course``. Written by the instructor's ``course publish``.
"""

import os

c = get_config()  # noqa: F821 - injected by traitlets when it loads this file

c.CourseDirectory.course_id = "{{course_id}}"

# The exchange folder: your instructor names it. Set it in ~/.jupyter/nbgrader_config.py
# (c.Exchange.root = "/the/folder"), or have COURSE_EXCHANGE name it, as the instructor's does.
if os.environ.get("COURSE_EXCHANGE"):
    c.Exchange.root = os.environ["COURSE_EXCHANGE"]
