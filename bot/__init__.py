"""npsbot: Net Promoter surveys for closed IT tickets, in Slack and Microsoft Teams."""

__version__ = "0.1.0"
