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

    /// Whether the window saw a change of this kind: `None` when the trail was cut short and
    /// none was found in the part read.
    pub fn changed(&self, actions: &[AuditAction]) -> Option<bool> {
        let found = actions.iter().any(|a| self.newest.contains_key(a));
        (found || !self.truncated).then_some(found)
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
