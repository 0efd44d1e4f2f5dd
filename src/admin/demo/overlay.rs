//! Laying a training scenario's data over a demo data set, both in the data set's JSON shape.
//! Pure, so the merge rules are pinned by unit tests: objects merge member by member (a
//! scenario can change one cell), an array entry with an `id` replaces the entry with that id
//! or is appended, any other array entry is appended, and anything else replaces.

use serde_json::Value;

/// The smallest data set the loader accepts, for scenarios that bring all their own data.
pub const EMPTY: &str = r#"{
  "default_cell": "eu-1",
  "cells": { "eu-1": { "status": "ok", "auth_latency_ms": { "p50": 11, "p99": 38 } } },
  "customers": [],
  "keys": [],
  "routes": []
}"#;

/// Lays `overlay` over `base` in place.
pub fn overlay(base: &mut Value, overlay: &Value) {
    match (base, overlay) {
        (Value::Object(b), Value::Object(o)) => {
            for (name, value) in o {
                match b.get_mut(name) {
                    Some(slot) => self::overlay(slot, value),
                    None => {
                        b.insert(name.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(b), Value::Array(o)) => {
            for item in o {
                let same = id_of(item).and_then(|id| b.iter().position(|x| id_of(x) == Some(id)));
                match same {
                    Some(i) => b[i] = item.clone(),
                    None => b.push(item.clone()),
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

fn id_of(v: &Value) -> Option<&str> {
    v.get("id").and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_entry_with_a_known_id_replaces_the_built_in_one() {
        let mut base = json!({"keys": [{"id": "a", "status": "active"}, {"id": "b"}]});
        overlay(
            &mut base,
            &json!({"keys": [{"id": "a", "status": "revoked"}]}),
        );
        assert_eq!(
            base,
            json!({"keys": [{"id": "a", "status": "revoked"}, {"id": "b"}]})
        );
    }

    #[test]
    fn an_entry_with_a_new_id_is_appended() {
        let mut base = json!({"customers": [{"id": "cus_1"}], "routes": [{"route": "/x"}]});
        overlay(
            &mut base,
            &json!({"customers": [{"id": "cus_2"}], "routes": [{"route": "/y"}]}),
        );
        assert_eq!(
            base,
            json!({"customers": [{"id": "cus_1"}, {"id": "cus_2"}],
                   "routes": [{"route": "/x"}, {"route": "/y"}]})
        );
    }

    #[test]
    fn cells_merge_member_by_member() {
        let mut base = json!({"cells": {"eu-1": {"status": "ok", "auth_latency_ms": {"p50": 1}},
                                        "us-1": {"status": "ok"}}});
        overlay(&mut base, &json!({"cells": {"eu-1": {"status": "down"}}}));
        assert_eq!(
            base,
            json!({"cells": {"eu-1": {"status": "down", "auth_latency_ms": {"p50": 1}},
                             "us-1": {"status": "ok"}}})
        );
    }

    #[test]
    fn the_empty_base_loads_and_takes_an_overlay() {
        let mut base: Value = serde_json::from_str(EMPTY).unwrap();
        overlay(
            &mut base,
            &json!({"default_cell": "us-1",
            "cells": {"us-1": {"status": "ok", "auth_latency_ms": {"p50": 1, "p99": 2}}}}),
        );
        let d = super::super::DemoData::from_value(base, crate::testing::now()).unwrap();
        assert_eq!(d.default_cell, "us-1");
        assert!(d.keys.is_empty());
    }
}
