"""Pure parsers for the bodies ITSM tools send: Jira, ServiceNow, Zendesk, Freshservice, GitHub.

Each tool's module turns its body into a `Close` (a domain Ticket plus what is needed to find
the requester) or a `NotAClose` with the reason; `ItsmError` names the field that is wrong.
"""
