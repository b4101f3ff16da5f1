//! Fuzz target: parse arbitrary UTF-8 as a checklist and tick every item both ways.
//!
//! Run with `cargo +nightly fuzz run task_list` from the repository root.

#![no_main]

use libfuzzer_sys::fuzz_target;
use shipdeck::release::task_list::{HeadingNames, Tick, parse, set_checked};

fuzz_target!(|body: &str| {
    let names = HeadingNames::default();
    let items = parse(body, &names);
    for item in &items {
        let m = &item.marker;
        assert_eq!(&body.as_bytes()[m.start..m.start + 1], b"[");
        assert_eq!(&body.as_bytes()[m.end - 1..m.end], b"]");
        match set_checked(body, &names, &item.key(), !item.checked) {
            Ok(Tick::Changed(out)) => {
                assert_eq!(out.len(), body.len());
                let diff = body.bytes().zip(out.bytes()).filter(|(a, b)| a != b).count();
                assert_eq!(diff, 1, "ticking {:?} changed {diff} bytes", item.text);
                let after = parse(&out, &names);
                assert_eq!(after.len(), items.len());
                let ticked = after
                    .iter()
                    .find(|i| i.marker == item.marker)
                    .expect("the ticked item is still there");
                assert_eq!(ticked.checked, !item.checked);
                assert_eq!(
                    set_checked(&out, &names, &item.key(), !item.checked),
                    Ok(Tick::AlreadySet)
                );
            }
            // Over GitHub's size limit: reported, never edited.
            Err(_) => assert!(body.chars().count() > shipdeck::release::task_list::BODY_LIMIT),
            Ok(Tick::AlreadySet) => panic!("{:?} was already in the opposite state", item.text),
        }
    }
});
