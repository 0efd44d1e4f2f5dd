//! Lazy cursor paging: a list is read one page at a time as it is asked for, and only the
//! current page is ever held.

use super::client::{AdminClient, AdminError, Call, describe};
use crate::evidence::Provenance;
use crate::evidence::api::Page;
use serde::de::DeserializeOwned;

impl AdminClient {
    /// The pages of a list, fetched one at a time as they are asked for.
    pub fn pages<T: DeserializeOwned>(
        &self,
        path: &str,
        query: Vec<(&'static str, String)>,
        page_size: u32,
    ) -> Pages<'_, T> {
        Pages {
            client: self,
            path: path.to_string(),
            query,
            page_size,
            cursor: None,
            done: false,
            fetched: 0,
            first: None,
            _items: std::marker::PhantomData,
        }
    }
}

/// A list read page by page; only the current page is ever held.
pub struct Pages<'c, T> {
    client: &'c AdminClient,
    path: String,
    query: Vec<(&'static str, String)>,
    page_size: u32,
    cursor: Option<String>,
    done: bool,
    fetched: u32,
    first: Option<Provenance>,
    _items: std::marker::PhantomData<T>,
}

impl<T: DeserializeOwned> Pages<'_, T> {
    /// The next page's items, or `None` after the last page.
    pub async fn next(&mut self) -> Result<Option<Vec<T>>, AdminError> {
        if self.done {
            return Ok(None);
        }
        let mut query = self.query.clone();
        query.push(("limit", self.page_size.to_string()));
        if let Some(c) = &self.cursor {
            query.push(("cursor", c.clone()));
        }
        let call: Call<Page<T>> = self.client.get(&self.path, &query).await?;
        self.fetched += 1;
        if self.first.is_none() {
            // The list is cited by its first call, without the cursor.
            let mut from = call.from;
            from.call = describe(&self.path, &self.query);
            self.first = Some(from);
        }
        self.cursor = call.body.next_cursor;
        self.done = self.cursor.is_none();
        Ok(Some(call.body.items))
    }

    /// Pages fetched so far.
    pub fn fetched(&self) -> u32 {
        self.fetched
    }

    /// Whether more pages remain.
    pub fn has_more(&self) -> bool {
        !self.done
    }

    /// The list's first call and how many pages were read, once one has been.
    pub fn provenance(&self) -> Option<Provenance> {
        self.first.clone().map(|mut p| {
            p.pages = self.fetched;
            p
        })
    }
}
