# Models for this area arrive with its issue.
