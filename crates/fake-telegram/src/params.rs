//! Request parameters as Telegram accepts them: a JSON body, multipart form data (scalars
//! arrive as strings, objects as JSON strings, files as parts), or a URL-encoded form/query.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

/// A refusal, with Telegram's status code and description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub code: u16,
    pub description: String,
    pub retry_after: Option<u32>,
}

impl ApiError {
    pub fn bad(description: impl AsRef<str>) -> Self {
        Self {
            code: 400,
            description: format!("Bad Request: {}", description.as_ref()),
            retry_after: None,
        }
    }

    pub fn forbidden(description: &str) -> Self {
        Self {
            code: 403,
            description: format!("Forbidden: {description}"),
            retry_after: None,
        }
    }
}

pub(crate) type ApiResult<T = Value> = Result<T, ApiError>;

/// An uploaded file part.
#[derive(Debug, Clone)]
pub(crate) struct Attachment {
    pub bytes: Vec<u8>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Params {
    fields: Map<String, Value>,
    attachments: HashMap<String, Attachment>,
}

impl Params {
    pub async fn from_request(request: Request) -> ApiResult<Self> {
        let mut params = Self::default();
        if let Some(query) = request.uri().query() {
            params.add_form(query.as_bytes());
        }
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if content_type.starts_with("multipart/form-data") {
            let mut multipart = Multipart::from_request(request, &())
                .await
                .map_err(|e| ApiError::bad(format!("can't parse multipart: {e}")))?;
            while let Some(field) = multipart
                .next_field()
                .await
                .map_err(|e| ApiError::bad(format!("can't parse multipart: {e}")))?
            {
                let name = field.name().unwrap_or_default().to_owned();
                let file_name = field.file_name().map(str::to_owned);
                let part_type = field.content_type().map(str::to_owned);
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| ApiError::bad(format!("can't read multipart: {e}")))?;
                if file_name.is_some() {
                    params.attachments.insert(
                        name,
                        Attachment {
                            bytes: bytes.to_vec(),
                            file_name,
                            content_type: part_type,
                        },
                    );
                } else {
                    params.fields.insert(
                        name,
                        Value::String(String::from_utf8_lossy(&bytes).into_owned()),
                    );
                }
            }
            return Ok(params);
        }
        let body: Bytes = axum::body::to_bytes(request.into_body(), usize::MAX)
            .await
            .map_err(|e| ApiError::bad(format!("can't read request: {e}")))?;
        if body.is_empty() {
            return Ok(params);
        }
        if content_type.starts_with("application/json") {
            match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(map)) => params.fields.extend(map),
                _ => return Err(ApiError::bad("can't parse JSON object")),
            }
        } else {
            params.add_form(&body);
        }
        Ok(params)
    }

    fn add_form(&mut self, form: &[u8]) {
        if let Ok(pairs) = serde_urlencoded_pairs(form) {
            for (key, value) in pairs {
                self.fields.insert(key, Value::String(value));
            }
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.fields.contains_key(key) || self.attachments.contains_key(key)
    }

    pub fn str(&self, key: &str) -> Option<String> {
        match self.fields.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn i64(&self, key: &str) -> Option<i64> {
        match self.fields.get(key)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn bool(&self, key: &str) -> bool {
        match self.fields.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s == "true",
            _ => false,
        }
    }

    /// An object parameter, sent as JSON or (in forms) as a JSON string.
    pub fn json(&self, key: &str) -> ApiResult<Option<Value>> {
        match self.fields.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => serde_json::from_str(s)
                .map(Some)
                .map_err(|_| ApiError::bad(format!("can't parse {key} JSON object"))),
            Some(other) => Ok(Some(other.clone())),
        }
    }

    /// The total size of the uploaded parts.
    pub fn attachment_bytes(&self) -> u64 {
        self.attachments
            .values()
            .map(|a| a.bytes.len() as u64)
            .sum()
    }

    pub fn attachment(&self, name: &str) -> Option<&Attachment> {
        self.attachments.get(name)
    }

    pub fn chat_id(&self) -> ApiResult<i64> {
        self.i64("chat_id")
            .ok_or_else(|| ApiError::bad("chat_id is empty"))
    }

    pub fn message_id(&self) -> ApiResult<i32> {
        self.i64("message_id")
            .and_then(|id| i32::try_from(id).ok())
            .ok_or_else(|| ApiError::bad("message_id is empty"))
    }
}

/// Decodes `a=1&b=x%20y` without another dependency.
fn serde_urlencoded_pairs(form: &[u8]) -> Result<Vec<(String, String)>, ()> {
    let text = std::str::from_utf8(form).map_err(|_| ())?;
    Ok(text
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect())
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(
                    std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                    16,
                ) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
