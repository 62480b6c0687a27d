"""One module per `finnews` subcommand (see finnews.cli)."""
