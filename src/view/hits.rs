//! Where things are on the last frame, for the mouse: each pane, tab, row and popup registers
//! its rectangle while it is drawn, so what a click hits is what was drawn there.

use std::cell::RefCell;

use ratatui::layout::{Position, Rect};

use crate::app::mouse::Target;

thread_local! {
    /// The regions of the frame being drawn (on this thread, between `begin` and `take`).
    static REGIONS: RefCell<Vec<(Rect, Target)>> = const { RefCell::new(Vec::new()) };
}

/// The regions of one frame; later (drawn on top) wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HitMap {
    regions: Vec<(Rect, Target)>,
}

impl HitMap {
    /// What is at column `x`, row `y`: the last region drawn there.
    #[must_use]
    pub fn at(&self, x: u16, y: u16) -> Option<Target> {
        self.regions
            .iter()
            .rev()
            .find(|(r, _)| r.contains(Position { x, y }))
            .map(|(_, t)| *t)
    }
}

/// Starts a frame's regions.
pub fn begin() {
    REGIONS.with(|r| r.borrow_mut().clear());
}

/// `rect` shows `target` (over whatever was registered before it).
pub fn add(rect: Rect, target: Target) {
    if rect.is_empty() {
        return;
    }
    REGIONS.with(|r| r.borrow_mut().push((rect, target)));
}

/// Rows `offset..` of a list drawn from `first` (the row under any header), `len` rows in
/// all, each one line high: registers each visible one as `Row { pane, column, index }`.
pub fn rows(area: Rect, first: u16, offset: usize, len: usize, row: impl Fn(usize) -> Target) {
    for (line, index) in (offset..len).enumerate() {
        let Ok(line) = u16::try_from(line) else { break };
        let y = area.y.saturating_add(first).saturating_add(line);
        if y >= area.bottom() {
            break;
        }
        add(Rect::new(area.x, y, area.width, 1), row(index));
    }
}

/// The frame's regions, ending it.
#[must_use]
pub fn take() -> HitMap {
    HitMap {
        regions: REGIONS.with(|r| std::mem::take(&mut *r.borrow_mut())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Pane;

    #[test]
    fn the_region_drawn_last_wins_and_rows_stop_at_the_bottom() {
        begin();
        add(Rect::new(0, 0, 10, 10), Target::Pane(Pane::Risks));
        rows(Rect::new(0, 0, 10, 4), 1, 5, 100, |index| Target::Row {
            pane: Pane::Risks,
            column: 0,
            index,
        });
        add(Rect::new(8, 0, 2, 2), Target::Popup);
        let map = take();
        assert_eq!(map.at(0, 0), Some(Target::Pane(Pane::Risks)), "the header");
        assert_eq!(
            map.at(0, 2),
            Some(Target::Row {
                pane: Pane::Risks,
                column: 0,
                index: 6
            }),
            "offset 5: the second row shown is row 6"
        );
        assert_eq!(
            map.at(0, 4),
            Some(Target::Pane(Pane::Risks)),
            "below the list"
        );
        assert_eq!(map.at(9, 1), Some(Target::Popup));
        assert_eq!(map.at(20, 20), None);
        assert_eq!(take(), HitMap::default(), "take ends the frame");
    }
}
