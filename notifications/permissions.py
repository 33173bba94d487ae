"""Who may do what with the notice channels (core.permissions: `may(user, "notifications.<action>", …)`)."""

from accounts.permissions import can_write, is_bureau_user, is_unit_officer


def _county_bureau_writer(user):
    organization = getattr(user, "organization", None)
    return is_bureau_user(user) and can_write(user) and organization is not None and organization.kind == "bureau"


def can_read_deliveries(user):
    """The delivery status of the bureau's notices (发送记录): the bureau's people, and the regulators above."""
    return is_bureau_user(user)


def can_manage_robots(user, robot=None):
    """A county bureau's group robots are kept by its own writers (not the read-only leadership group, not a city);
    with `robot`: that robot is of the user's own organisation."""
    return _county_bureau_writer(user) and (robot is None or robot.organization_id == user.organization_id)


def can_set_unit_channels(user):
    """The channels of the user's organisation (its robots, its people's 短信): a unit's officers for their unit, a
    county bureau's writers for the bureau. Everyone sets their own (no predicate: always)."""
    return is_unit_officer(user) or _county_bureau_writer(user)
