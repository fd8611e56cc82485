"""JupyterLab for learners: `course` on the terminal's PATH, and no instructor tools.

Installed by the learner package into its environment's Jupyter configuration
(``<venv>/etc/jupyter/``), so it applies to every JupyterLab started from that environment
(``make lab`` does). Written by the instructor's ``course publish``.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - injected by traitlets when it loads this file

# The environment's own commands (`course`, `python`, `pip`) first on PATH, for the terminals
# and kernels this server starts: they inherit its environment.
environment_bin = str(Path(sys.executable).parent)
os.environ["PATH"] = os.pathsep.join([environment_bin, os.environ.get("PATH", "")])

# JupyterLab's terminal is a *login* shell when the server has no terminal of its own, and a
# login shell reads /etc/profile, which sets PATH again from scratch (Debian's does): the
# environment's commands would be gone. An interactive, non-login shell keeps PATH and still
# reads ~/.bashrc.
c.ServerApp.terminado_settings.update({"shell_command": [os.environ.get("SHELL") or "/bin/bash"]})

# nbgrader's server extensions serve the instructor (formgrader, creating assignments, the
# course list) and the exchange; the learner edition uses none of them.
# (Each is merged into what other configuration says, so a learner's own settings stay.)
c.ServerApp.jpserver_extensions.update(
    {
        "nbgrader.server_extensions.formgrader": False,
        "nbgrader.server_extensions.validate_assignment": False,
        "nbgrader.server_extensions.assignment_list": False,
        "nbgrader.server_extensions.course_list": False,
    }
)
