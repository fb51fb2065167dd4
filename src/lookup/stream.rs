//! The one way a successful answer's body becomes a table: its chunks go,
//! as they arrive, to a parser on a blocking thread that reads them through
//! `std::io::Read` (serde_json's streaming deserialiser), and each chunk is
//! freed once read. The body is never held whole, so a 200,000-row answer
//! costs the table plus a few chunks, not the table plus the body. The
//! same parsers read a body already in memory (practice recordings).

use std::io::Read;

use tokio::sync::mpsc;

use super::error::LookupError;

/// A provider's parser of a 2xx body. `parse` gets the body from its first
/// non-blank byte, which is `{` (anything else is refused before).
pub trait BodyParser: Send + Sync + 'static {
    type Out: Send + 'static;
    /// How the service is named in a malformed-answer message.
    fn service(&self) -> &'static str;
    fn parse<R: Read>(&self, body: R) -> Result<Self::Out, LookupError>;
}

/// Parses `body`: `None` when it is empty or blank (the service's "no
/// data"), an error naming the service when it is not a JSON object.
pub fn parse_body<P: BodyParser, R: Read>(
    parser: &P,
    mut body: R,
) -> Result<Option<P::Out>, LookupError> {
    let mut first = [0u8];
    loop {
        match body.read(&mut first) {
            Ok(0) => return Ok(None),
            Ok(_) if first[0].is_ascii_whitespace() => {}
            Ok(_) => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(malformed(parser.service(), &e)),
        }
    }
    if first[0] != b'{' {
        return Err(LookupError::Malformed(format!(
            "{} response is not a JSON object",
            parser.service()
        )));
    }
    parser.parse((&first[..]).chain(body)).map(Some)
}

/// A malformed-answer error naming the service.
pub fn malformed(service: &str, e: &dyn std::fmt::Display) -> LookupError {
    LookupError::Malformed(format!("{service} response: {e}"))
}

/// Chunks waiting for the parser: a few keep the connection busy while
/// the parser works, without holding much of the body.
const QUEUED_CHUNKS: usize = 16;

/// Reads `response`'s body into `parser` as it arrives, at most `cap`
/// bytes. A network error or the cap wins over whatever the parser made of
/// the part it saw.
pub(crate) async fn parse_response<P: BodyParser>(
    mut response: reqwest::Response,
    parser: std::sync::Arc<P>,
    cap: usize,
) -> Result<Option<P::Out>, LookupError> {
    let (tx, rx) = mpsc::channel(QUEUED_CHUNKS);
    let reader = Chunks {
        rx,
        current: None,
        at: 0,
    };
    let mut parsing = tokio::task::spawn_blocking(move || parse_body(&*parser, reader));
    let stopped = |e: tokio::task::JoinError| {
        LookupError::Malformed(format!("the response parser stopped: {e}"))
    };
    let mut received = 0usize;
    let fed: Result<(), LookupError> = loop {
        tokio::select! {
            // The parser ended before the body did: the JSON went wrong (a
            // good answer is read to its end), so say why now rather than
            // wait for the rest.
            parsed = &mut parsing => return parsed.map_err(stopped)?,
            chunk = response.chunk() => match chunk {
                Ok(Some(chunk)) => {
                    received += chunk.len();
                    if received > cap {
                        break Err(too_large(cap));
                    }
                    if tx.send(chunk).await.is_err() {
                        break Ok(());
                    }
                }
                Ok(None) => break Ok(()),
                Err(e) => break Err(super::http::map_reqwest(e)),
            },
        }
    };
    // The reader sees the end of the body (or of what came of it).
    drop(tx);
    let parsed = parsing.await.map_err(stopped)?;
    fed?;
    parsed
}

pub(crate) fn too_large(cap: usize) -> LookupError {
    LookupError::Malformed(format!(
        "the response is larger than {} MiB; narrow the query or the time window",
        cap / (1024 * 1024)
    ))
}

/// The body as it arrives: one chunk at a time, each dropped when read.
/// (`B` is reqwest's chunk type, `bytes::Bytes`, left to inference.)
struct Chunks<B> {
    rx: mpsc::Receiver<B>,
    current: Option<B>,
    at: usize,
}

impl<B: AsRef<[u8]>> Read for Chunks<B> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self
            .current
            .as_ref()
            .is_none_or(|c| self.at >= c.as_ref().len())
        {
            match self.rx.blocking_recv() {
                Some(next) => {
                    self.current = Some(next);
                    self.at = 0;
                }
                None => return Ok(0),
            }
        }
        let Some(chunk) = &self.current else {
            return Ok(0);
        };
        let rest = &chunk.as_ref()[self.at..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.at += n;
        Ok(n)
    }
}
