//! Pagination like GitHub's: `per_page` (default 30, max 100), `page`, and the `Link` header.

use super::server::Req;

/// Cuts `items` to the requested page; returns the page and the `Link` header, which is
/// absent when everything fits on one page.
pub fn paginate<T>(items: Vec<T>, req: &Req) -> (Vec<T>, Option<String>) {
    let per_page = req
        .q("per_page")
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(30, |n| if n == 0 { 30 } else { n.min(100) });
    let page = req
        .q("page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let total = items.len();
    let last = total.div_ceil(per_page).max(1);
    let start = (page - 1).saturating_mul(per_page).min(total);
    let page_items: Vec<T> = items.into_iter().skip(start).take(per_page).collect();
    if last == 1 && page == 1 {
        return (page_items, None);
    }
    let url = |n: usize| {
        let mut params: Vec<&str> = req
            .raw_query
            .split('&')
            .filter(|p| !p.is_empty() && p.split('=').next() != Some("page"))
            .collect();
        let page_param = format!("page={n}");
        params.push(&page_param);
        format!("<{}{}?{}>", req.base, req.path, params.join("&"))
    };
    let mut links = Vec::new();
    if page > 1 {
        links.push(format!("{}; rel=\"prev\"", url(page - 1)));
    }
    if page < last {
        links.push(format!("{}; rel=\"next\"", url(page + 1)));
        links.push(format!("{}; rel=\"last\"", url(last)));
    }
    if page > 1 {
        links.push(format!("{}; rel=\"first\"", url(1)));
    }
    (page_items, Some(links.join(", ")))
}
