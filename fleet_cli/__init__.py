"""The operator CLI: `fleet SUBCOMMAND`, the project's playbooks run through ansible-runner with
live progress, a kept record of every run and exit codes that say what happened."""
