from accounts.models import Role
from core.scoping import mine_in_scope

#: the mine keeps these records; its enterprise may keep them for it; the bureau reads them
RECORD_KEEPERS = (Role.MINE_OFFICER, Role.ENTERPRISE_OFFICER)


def can_keep_records(user, mine):
    return user.role in RECORD_KEEPERS and mine_in_scope(user, mine)
