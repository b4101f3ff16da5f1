//! Making text from GitHub safe for a terminal or a log line: the one sanitiser. Anyone who can
//! name a milestone, title an issue or edit a checklist can put escape sequences in it (an
//! OSC 52 clipboard write, an OSC 2 title, a clear-screen) or bidi overrides that make text read
//! backwards. Text written back to GitHub is never passed through here: a tick changes one byte.

use std::borrow::Cow;

/// Shown in place of text that has nothing printable left (only combining marks, say).
pub const PLACEHOLDER: &str = "◌";

/// Combining marks kept on one base character; the rest ("Zalgo" text, hundreds of marks) are
/// dropped. Real text stacks up to four (pointed Hebrew with a cantillation mark, Tibetan).
const MAX_MARKS: usize = 4;

/// Tag characters kept after a black flag (U+1F3F4): a subdivision flag such as England's is
/// the flag, up to six tags and a cancel tag.
const MAX_FLAG_TAGS: usize = 8;

/// The tag characters (U+E0020–U+E007F).
fn is_tag(c: char) -> bool {
    ('\u{E0020}'..='\u{E007F}').contains(&c)
}

/// `s` for one line of a terminal: escape sequences removed, control characters (C0, DEL, C1)
/// and line breaks made spaces, bidi controls removed, runs of combining marks cut short.
#[must_use]
pub fn line(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// Like [`line`], but line breaks (`\n`) are kept, for multi-line output such as a CLI report or
/// an error message. `\r` and tabs become spaces.
#[must_use]
pub fn lines(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

/// Whether `c` may reach a terminal as it is.
fn is_safe(c: char) -> bool {
    !(c.is_control() || is_bidi_control(c) || is_invisible_format(c))
}

/// The bidi embedding, override and isolate controls, and the directional marks.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Invisible format characters that can hide text: the line and paragraph separators, the
/// interlinear annotation marks, and the byte-order mark.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{2028}' | '\u{2029}' | '\u{FFF9}'..='\u{FFFB}' | '\u{FEFF}'
    )
}

/// A character drawn with no width of its own: a combining mark of any script (accents,
/// Hebrew points, Devanagari signs, enclosing marks), a zero-width joiner or space, a variation
/// selector, a tag character. Stacked on a base character they are kept up to [`MAX_MARKS`];
/// with no base, or past that, they are dropped ("Zalgo" text, invisible text).
fn is_combining_mark(c: char) -> bool {
    c != '\0' && unicode_width::UnicodeWidthChar::width(c) == Some(0)
}

fn clean(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let needs_work = s.chars().any(|c| !is_safe(c) || is_combining_mark(c));
    if !needs_work {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut marks = 0usize;
    // Tags still allowed: after a black flag, for its subdivision.
    let mut flag_tags = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI and OSC introducers start sequences too.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' if keep_newlines => {
                out.push('\n');
                marks = 0;
            }
            '\n' | '\r' | '\t' => {
                out.push(' ');
                marks = 0;
            }
            c if !is_safe(c) => {}
            c if is_tag(c) && flag_tags > 0 => {
                out.push(c);
                flag_tags -= 1;
            }
            // Elsewhere tags only hide text.
            c if is_tag(c) => {}
            c if is_combining_mark(c) => {
                if marks < MAX_MARKS && out.chars().last().is_some_and(|p| p != ' ' && p != '\n') {
                    out.push(c);
                }
                marks += 1;
            }
            c => {
                out.push(c);
                marks = 0;
                flag_tags = if c == '\u{1F3F4}' { MAX_FLAG_TAGS } else { 0 };
            }
        }
    }
    if out.trim().is_empty() && !s.trim().is_empty() {
        return Cow::Owned(PLACEHOLDER.to_string());
    }
    Cow::Owned(out)
}

/// After ESC: a CSI (`[`), a string (`]` OSC, `P` DCS, `^` PM, `_` APC, `X` SOS), or one more
/// character.
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        Some(']' | 'P' | '^' | '_' | 'X') => skip_string(chars),
        // Character-set selection and the like take one more character.
        Some('(' | ')' | '*' | '+' | '#' | '%') => {
            chars.next();
        }
        _ => {}
    }
}

/// A CSI sequence: parameter and intermediate bytes, then one final byte (`@`–`~`).
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            return;
        }
    }
}

/// A string sequence (OSC, DCS, …): up to BEL, ST (`ESC \`) or the C1 ST.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_removed_whole() {
        // OSC 52 clipboard write, OSC 2 title (BEL and ST ends), clear screen, colour.
        let hostile =
            "Risk\u{1b}]52;c;Y3VybCBldmlsLnNo\u{7} A\u{1b}]2;pwned\u{1b}\\B\u{1b}[2J\u{1b}[31mC";
        assert_eq!(line(hostile), "Risk ABC");
        assert_eq!(line("a\u{9b}2Jb\u{9d}0;t\u{9c}c"), "abc");
        assert_eq!(line("x\u{1b}(By"), "xy");
    }

    #[test]
    fn controls_and_bidi_overrides_go() {
        assert_eq!(line("evil\u{202E}txt.exe"), "eviltxt.exe");
        assert_eq!(line("a\u{2066}b\u{2069}c\u{200F}"), "abc");
        assert_eq!(line("bell\u{7} del\u{7f} nul\u{0}"), "bell del nul");
        assert_eq!(line("two\nlines\r\tx"), "two lines  x");
        assert_eq!(lines("two\nlines\r"), "two\nlines ");
    }

    #[test]
    fn plain_text_is_borrowed_and_unchanged() {
        let s = "Deploy v2.4.0 — ✓ ok, 日本語, émoji 🚀";
        assert!(matches!(line(s), Cow::Borrowed(_)));
        assert_eq!(line(s), s);
        // Accents built with combining marks stay.
        assert_eq!(line("e\u{301}te\u{301}"), "e\u{301}te\u{301}");
    }

    #[test]
    fn zalgo_is_cut_short_and_marks_alone_show_a_placeholder() {
        let zalgo = format!("Z{}a", "\u{300}\u{301}\u{302}".repeat(30));
        assert_eq!(line(&zalgo), "Z\u{300}\u{301}\u{302}\u{300}a");
        assert_eq!(line(&"\u{300}".repeat(50)), PLACEHOLDER);
        assert_eq!(line("\u{1b}[2J"), PLACEHOLDER);
        // Marks of any script, not only the Latin combining blocks: Hebrew cantillation,
        // enclosing marks, zero-width spaces and joiners alone are all invisible.
        assert_eq!(line(&"\u{591}".repeat(30)), PLACEHOLDER);
        assert_eq!(line(&"\u{20DD}".repeat(9)), PLACEHOLDER);
        assert_eq!(line("\u{200B}\u{200D}\u{200B}"), PLACEHOLDER);
        // Tags hide text ("ASCII smuggling"); only a flag's few are kept.
        let smuggled: String = "ignore all"
            .chars()
            .map(|c| char::from_u32(0xE0000 + c as u32).unwrap())
            .collect();
        assert_eq!(line(&format!("ok{smuggled}")), "ok");
        assert_eq!(
            line(&format!("a{}b", "\u{5B4}".repeat(40))),
            "a\u{5B4}\u{5B4}\u{5B4}\u{5B4}b"
        );
        // Real text with marks keeps them: Hebrew with points (and a cantillation mark),
        // Tibetan stacks, Devanagari, Thai, emoji sequences, England's flag (tag characters).
        let england = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}";
        for real in [
            "שָׁלוֹם",
            "בְּרֵאשִׁ֖ית",
            "བསྒྲུབས",
            "हिन्दी",
            "กิ่ง",
            "👩\u{200D}💻",
            "❤\u{FE0F}",
            england,
        ] {
            assert_eq!(line(real), real);
        }
        assert_eq!(line(""), "");
    }
}
