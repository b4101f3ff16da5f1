//! The release checklist that `shipdeck init` writes must parse into the six phases.

use shipdeck::release::Phase;
use shipdeck::release::task_list::{HeadingNames, Section, parse};

const TEMPLATE: &str = include_str!("../assets/templates/release-checklist.md");

#[test]
fn template_has_at_least_30_unchecked_items_all_in_phases() {
    let items = parse(TEMPLATE, &HeadingNames::default());
    assert!(items.len() >= 30, "only {} items", items.len());
    for item in &items {
        assert!(
            matches!(item.section, Section::Phase(_)),
            "{:?} is not under a phase heading",
            item.text
        );
        assert!(!item.checked, "{:?} starts checked", item.text);
        assert!(!item.text.is_empty());
        assert_eq!(item.depth, 0);
        assert_eq!(item.occurrence, 0, "{:?} is duplicated", item.text);
    }
}

#[test]
fn template_has_four_to_seven_items_per_phase_in_order() {
    let items = parse(TEMPLATE, &HeadingNames::default());
    for phase in Phase::ALL {
        let n = items
            .iter()
            .filter(|i| i.section == Section::Phase(phase))
            .count();
        assert!((4..=7).contains(&n), "{phase:?} has {n} items");
    }
    let order: Vec<_> = items.iter().filter_map(|i| i.section.phase()).collect();
    assert!(order.is_sorted(), "phases out of order");
    // The intro line is not an item, and every line that looks like an item is one.
    let lines = TEMPLATE.lines().filter(|l| l.starts_with("- [ ] ")).count();
    assert_eq!(lines, items.len());
}
