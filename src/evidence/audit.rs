//! A key's audit trail within the recent window, digested page by page: for each kind of
//! change, the newest event and how many there were. The pages themselves are not kept.

use super::api::{AuditAction, AuditEvent};
use std::collections::BTreeMap;

/// What the recent audit trail says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditDigest {
    /// The newest event of each kind (pages arrive newest first).
    pub newest: BTreeMap<AuditAction, AuditEvent>,
    pub counts: BTreeMap<AuditAction, u64>,
    pub scanned: u64,
    /// Whether paging stopped at the cap before the window was exhausted: an absent kind of
    /// event then proves nothing.
    pub truncated: bool,
}

impl AuditDigest {
    pub fn add_page(&mut self, items: &[AuditEvent]) {
        for e in items {
            self.scanned += 1;
            *self.counts.entry(e.action.clone()).or_default() += 1;
            self.newest
                .entry(e.action.clone())
                .or_insert_with(|| e.clone());
        }
    }

    pub fn newest(&self, action: AuditAction) -> Option<&AuditEvent> {
        self.newest.get(&action)
    }

    /// Whether the newest role or scope change took a permission away: a scope list that
    /// lost an entry, or a role that moved down. A change that only adds is no cause of a
    /// 403. A change whose before/after cannot be read counts as narrowing, so it is looked
    /// at rather than dismissed. `None` as for [`Self::changed`].
    pub fn permission_narrowed(&self) -> Option<bool> {
        let scopes = self.newest(AuditAction::ScopesChanged).map(scopes_removed);
        let role = self.newest(AuditAction::RoleChanged).map(role_lowered);
        let narrowed = scopes.unwrap_or(false) || role.unwrap_or(false);
        (narrowed || !self.truncated).then_some(narrowed)
    }

    /// Whether the window saw a change of this kind: `None` when the trail was cut short and
    /// none was found in the part read.
    pub fn changed(&self, actions: &[AuditAction]) -> Option<bool> {
        let found = actions.iter().any(|a| self.newest.contains_key(a));
        (found || !self.truncated).then_some(found)
    }
}

/// Whether a scopes.changed event removed a scope; unreadable lists count as removal.
fn scopes_removed(e: &AuditEvent) -> bool {
    let list = |v: &Option<serde_json::Value>| -> Option<Vec<String>> {
        let items = v.as_ref()?.as_array()?;
        items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect()
    };
    match (list(&e.before), list(&e.after)) {
        (Some(before), Some(after)) => before.iter().any(|s| !after.contains(s)),
        _ => true,
    }
}

/// Roles from least to most permissive, as the admin API names them.
const ROLES: [&str; 4] = ["viewer", "developer", "admin", "owner"];

/// Whether a role.changed event moved down the ladder; an unknown role counts as lowered.
fn role_lowered(e: &AuditEvent) -> bool {
    let rank = |v: &Option<serde_json::Value>| {
        let name = v.as_ref()?.as_str()?;
        ROLES.iter().position(|r| r.eq_ignore_ascii_case(name))
    };
    match (rank(&e.before), rank(&e.after)) {
        (Some(before), Some(after)) => after < before,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str, at: &str, action: AuditAction) -> AuditEvent {
        AuditEvent {
            id: id.into(),
            at: at.parse().unwrap(),
            actor: "admin@example.com".into(),
            action,
            before: None,
            after: None,
        }
    }

    #[test]
    fn keeps_the_newest_event_of_each_kind() {
        let mut d = AuditDigest::default();
        d.add_page(&[
            event("e3", "2026-11-21T10:00:00Z", AuditAction::RoleChanged),
            event("e2", "2026-11-20T10:00:00Z", AuditAction::RoleChanged),
        ]);
        d.add_page(&[event("e1", "2026-11-19T10:00:00Z", AuditAction::KeyCreated)]);
        assert_eq!(
            d.newest(AuditAction::RoleChanged).map(|e| e.id.as_str()),
            Some("e3")
        );
        assert_eq!(d.counts[&AuditAction::RoleChanged], 2);
        assert_eq!(d.scanned, 3);
    }

    fn change(
        action: AuditAction,
        before: serde_json::Value,
        after: serde_json::Value,
    ) -> AuditEvent {
        AuditEvent {
            before: Some(before),
            after: Some(after),
            ..event("e9", "2026-11-21T10:00:00Z", action)
        }
    }

    #[test]
    fn an_added_scope_is_not_a_narrowing() {
        let mut d = AuditDigest::default();
        d.add_page(&[change(
            AuditAction::ScopesChanged,
            serde_json::json!(["orders:read"]),
            serde_json::json!(["orders:read", "refunds:write"]),
        )]);
        assert_eq!(d.permission_narrowed(), Some(false));
    }

    #[test]
    fn a_removed_scope_or_a_lower_role_is_a_narrowing() {
        let mut d = AuditDigest::default();
        d.add_page(&[change(
            AuditAction::ScopesChanged,
            serde_json::json!(["orders:read", "orders:write"]),
            serde_json::json!(["orders:read"]),
        )]);
        assert_eq!(d.permission_narrowed(), Some(true));
        let mut d = AuditDigest::default();
        d.add_page(&[change(
            AuditAction::RoleChanged,
            serde_json::json!("viewer"),
            serde_json::json!("admin"),
        )]);
        assert_eq!(d.permission_narrowed(), Some(false));
        d.add_page(&[change(
            AuditAction::ScopesChanged,
            serde_json::json!("unreadable"),
            serde_json::json!(null),
        )]);
        assert_eq!(d.permission_narrowed(), Some(true));
    }

    #[test]
    fn no_such_event_is_a_known_no_unless_the_trail_was_cut_short() {
        let mut d = AuditDigest::default();
        d.add_page(&[event("e1", "2026-11-19T10:00:00Z", AuditAction::KeyCreated)]);
        assert_eq!(d.changed(&[AuditAction::IpRulesChanged]), Some(false));
        d.truncated = true;
        assert_eq!(d.changed(&[AuditAction::IpRulesChanged]), None);
        assert_eq!(d.changed(&[AuditAction::KeyCreated]), Some(true));
    }
}
