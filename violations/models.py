# Models arrive with the 三违 ledger issue.
