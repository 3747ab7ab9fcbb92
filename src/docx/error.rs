//! Why a .docx could not be produced: the writer's one error type, shared by the
//! package writer and the entry points.

/// Why a .docx could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// The document has no parts to write.
    #[error("tài liệu không có phụ lục nào để ghi / the document has no appendix to write")]
    Empty,
    /// The zip container could not be written (the output stream failed).
    #[error("lỗi khi đóng gói tệp .docx / packing the .docx failed: {0}")]
    Pack(#[from] zip::result::ZipError),
    /// Writing a part into the container failed.
    #[error("lỗi khi ghi tệp .docx / writing the .docx failed: {0}")]
    Write(#[from] std::io::Error),
}
