//! Thumbnails, only through one guarded path: the window names a file by its path relative to
//! the orders root; it is served only if the bot recorded it in the media table, the name has
//! no `..`, absolute or drive part, and the real file (links resolved) is inside the root.
//! Each thumbnail is made once (the `image` crate) and kept in `<data>/thumbnails`.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use servicebot_core::evidence::guard::{self, Refusal};
use servicebot_core::store::MediaRecord;
use sha2::{Digest, Sha256};

use crate::{App, AppError, ErrorCode, Result};

/// The longer side of a thumbnail, in pixels.
pub const THUMBNAIL_PX: u32 = 240;
/// Larger pictures are not decoded for a thumbnail (a 100-megapixel scan would take seconds).
const MAX_PICTURE_BYTES: u64 = 64 * 1024 * 1024;
/// The cache folder inside the data folder.
pub const CACHE_FOLDER: &str = "thumbnails";

fn refused(refusal: Refusal, path: &str) -> AppError {
    let code = match refusal {
        Refusal::NotRecorded => ErrorCode::NotFound,
        _ => ErrorCode::InvalidInput,
    };
    AppError::new(code, format!("{refusal}: {path:?}"))
}

fn read_error(path: &Path, error: &std::io::Error) -> AppError {
    AppError::new(
        ErrorCode::OrdersRootUnavailable,
        format!("cannot read {}: {error}", path.display()),
    )
}

/// A JPEG as a `data:` URL.
pub(crate) fn jpeg_data_url(bytes: &[u8]) -> String {
    format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// A JPEG thumbnail of the picture in `bytes`.
pub fn make_thumbnail(bytes: &[u8], px: u32) -> Result<Vec<u8>> {
    let picture = image::load_from_memory(bytes)
        .map_err(|e| AppError::new(ErrorCode::InvalidInput, format!("not a picture: {e}")))?;
    let small = picture.thumbnail(px, px).to_rgb8();
    let mut out = std::io::Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&small)
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("thumbnail: {e}")))?;
    Ok(out.into_inner())
}

impl App {
    /// The real path of the recorded file named `relative` (to the orders root), or why it
    /// is refused.
    pub fn guarded_file(&self, relative: &str) -> Result<(PathBuf, MediaRecord)> {
        let parts = guard::relative_parts(relative).map_err(|r| refused(r, relative))?;
        let root = &self.config.orders.root;
        let requested = parts
            .iter()
            .fold(root.clone(), |path, part| path.join(part));
        // The order's recorded files: the first part is its folder.
        let order = self
            .open_order(parts[0])
            .map_err(|_| refused(Refusal::NotRecorded, relative))?;
        let record = self
            .store()
            .media()
            .by_order(&order.number)?
            .into_iter()
            .find(|m| {
                m.media
                    .path
                    .as_deref()
                    .is_some_and(|p| Path::new(p) == requested)
            })
            .ok_or_else(|| refused(Refusal::NotRecorded, relative))?;
        let real_root = root.canonicalize().map_err(|e| read_error(root, &e))?;
        let real = requested
            .canonicalize()
            .map_err(|e| read_error(&requested, &e))?;
        if !guard::inside(&real_root, &real) {
            return Err(refused(Refusal::OutsideRoot, relative));
        }
        Ok((real, record))
    }

    /// Where the thumbnail of `record` is cached.
    fn thumbnail_cache(&self, record: &MediaRecord, px: u32) -> PathBuf {
        let key = record.media.sha256.clone().unwrap_or_else(|| {
            let path = record.media.path.clone().unwrap_or_default();
            hex::encode(Sha256::digest(path.as_bytes()))
        });
        self.data_dir
            .join(CACHE_FOLDER)
            .join(format!("{key}-{px}.jpg"))
    }

    /// The JPEG thumbnail of the recorded picture `relative`, made once and then read from
    /// the cache. Reads the orders folder: call off the async threads.
    pub fn thumbnail_jpeg(&self, relative: &str) -> Result<Vec<u8>> {
        let (real, record) = self.guarded_file(relative)?;
        let cache = self.thumbnail_cache(&record, THUMBNAIL_PX);
        if let Ok(bytes) = std::fs::read(&cache) {
            return Ok(bytes);
        }
        let mut bytes = Vec::new();
        std::fs::File::open(&real)
            .and_then(|f| f.take(MAX_PICTURE_BYTES).read_to_end(&mut bytes))
            .map_err(|e| read_error(&real, &e))?;
        let thumbnail = make_thumbnail(&bytes, THUMBNAIL_PX)?;
        if let Err(error) = servicebot_core::media_store::write_file(&cache, &thumbnail) {
            // Served anyway; made again next time.
            tracing::warn!(%error, "cannot cache a thumbnail");
        }
        Ok(thumbnail)
    }

    /// [`App::thumbnail_jpeg`] as a `data:` URL for the window.
    pub fn thumbnail(&self, relative: &str) -> Result<String> {
        Ok(jpeg_data_url(&self.thumbnail_jpeg(relative)?))
    }
}
