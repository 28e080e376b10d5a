//! The JSON layout of the files formwork writes.

/// serde_json's `PrettyFormatter`, writing each line break and its
/// indentation with one call rather than one call per level: a template is
/// mostly indentation, and this halves the cost of writing it. The output is
/// byte-for-byte the same.
pub(crate) struct Indented {
    /// Spaces per level.
    width: usize,
    depth: usize,
    has_value: bool,
}

impl Indented {
    /// `width` spaces per level (the CDK writes templates with 1, the
    /// manifest with 2).
    pub(crate) fn new(width: usize) -> Self {
        Indented {
            width,
            depth: 0,
            has_value: false,
        }
    }

    fn new_line<W: ?Sized + std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        const LINE: &[u8] = b"\n                                                                ";
        let mut rest = self.depth * self.width;
        let first = rest.min(LINE.len() - 1);
        writer.write_all(&LINE[..=first])?;
        rest -= first;
        while rest > 0 {
            let n = rest.min(LINE.len() - 1);
            writer.write_all(&LINE[1..=n])?;
            rest -= n;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(writer)?;
        }
        writer.write_all(bracket)
    }

    fn item<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        self.new_line(writer)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(writer, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        _writer: &mut W,
    ) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        _writer: &mut W,
    ) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::*;

    #[test]
    fn writes_what_the_pretty_formatter_writes() {
        // Deeper than one line of spaces, with empty containers at every level.
        let mut deep = serde_json::json!({"leaf": [1, {}, [], "x"]});
        for i in 0..70 {
            deep = serde_json::json!({ format!("k{i}"): [deep, {"a": null, "b": [true]}] });
        }
        for (width, indent) in [(1, &b" "[..]), (2, &b"  "[..])] {
            let mut ours = Vec::new();
            let mut ser = serde_json::Serializer::with_formatter(&mut ours, Indented::new(width));
            deep.serialize(&mut ser).unwrap();
            let mut theirs = Vec::new();
            let pretty = serde_json::ser::PrettyFormatter::with_indent(indent);
            let mut ser = serde_json::Serializer::with_formatter(&mut theirs, pretty);
            deep.serialize(&mut ser).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap()
            );
        }
    }
}
