//! Labels as plain text: REDCap labels may hold HTML (the rich text editor writes `<p>`,
//! `<span style=…>`, `&nbsp;`) and piping (`[field]`, `[event][field]`, `[field:label]`, smart
//! variables such as `[record-name]`), which mean nothing outside REDCap.

/// `label` as plain text: HTML tags removed, the entities `&amp;` `&lt;` `&gt;` `&quot;`
/// `&#39;` `&apos;` `&nbsp;` and numeric ones (`&#233;`, `&#xE9;`) decoded, piping removed,
/// whitespace collapsed to one space, trimmed.
///
/// A tag is `<` followed by a letter, `/` or `!`, up to the next `>`; any other `<` is text
/// (`score < 5`). Piping is `[` followed by a lowercase letter, then lowercase letters,
/// digits and `_ - : ( ) , .` up to `]`: REDCap's field names and smart variables all start
/// with a lowercase letter, so `[0-10]` and `[See note]` are text.
///
/// ```
/// use screenscore::redcap::plain_text;
///
/// assert_eq!(
///     plain_text("<p>How often, <b>[name_first]</b>, in the last\n2&nbsp;weeks?</p>"),
///     "How often, , in the last 2 weeks?"
/// );
/// assert_eq!(plain_text("Pain [0-10] &lt; 5 &amp; [visit_1_arm_1][pain:label]"), "Pain [0-10] < 5 &");
/// assert_eq!(plain_text("Caf&#233; [record-name]"), "Café");
/// ```
pub fn plain_text(label: &str) -> String {
    let text = strip_tags(label);
    let text = strip_piping(&text);
    let text = decode_entities(&text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tags removed; a tag that ends a line or block (`<br>`, `</p>`, `<div>`, …) leaves a space.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tag = &rest[at..];
        let starts_tag = tag[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match tag.find('>') {
            Some(end) if starts_tag => {
                let name: String = tag[1..end]
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                if is_block(&name) {
                    out.push(' ');
                }
                rest = &tag[end + 1..];
            }
            _ => {
                out.push('<');
                rest = &tag[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_block(name: &str) -> bool {
    const BLOCKS: [&str; 16] = [
        "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4",
        "h5", "h6",
    ];
    BLOCKS.iter().any(|b| b.eq_ignore_ascii_case(name))
}

/// Piping (`[field]`, `[event][field:label]`, `[record-name]`) removed.
fn strip_piping(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('[') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let piped = after.find(']').filter(|&end| {
            let inner = &after[..end];
            inner.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
                && inner.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b"_-:(),.".contains(&b)
                })
        });
        match piped {
            Some(end) => rest = &after[end + 1..],
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The entities of REDCap's rich text decoded; any other `&` is text.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let decoded = after
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| entity(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code).filter(|c| !c.is_control() || c.is_whitespace())
        }
    }
}
