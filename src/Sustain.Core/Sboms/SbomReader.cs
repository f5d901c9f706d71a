using System.Text;
using System.Text.Json;

namespace Sustain.Core.Sboms;

/// <summary>
/// Reads any SBOM Sustain supports. The format is detected from the content, never from a file
/// name: the byte-order mark or the pattern of zero bytes for UTF-16, then the first significant
/// character and, for JSON, the top-level keys.
/// </summary>
public static class SbomReader
{
    private const int SniffBytes = 64 * 1024;

    public static SbomDocument Read(Stream stream, SbomReaderOptions? options = null)
    {
        options ??= SbomReaderOptions.Default;
        stream = new LimitedStream(stream, options.MaxBytes);
        var prefix = new byte[SniffBytes];
        var length = ReadPrefix(stream, prefix);
        if (length == 0)
            throw new SbomFormatException(string.Empty, "the document is empty");

        var encoding = DetectEncoding(prefix.AsSpan(0, length));
        var whole = new PrefixedStream(prefix, length, stream);
        if (encoding is null)
            return Read(whole, prefix.AsSpan(0, length), options);

        // XML declares its own encoding and XmlReader honours it; everything else is read as UTF-8.
        var text = encoding.GetString(prefix, 0, length);
        if (text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n').StartsWith('<'))
            return CycloneDxXmlReader.Read(whole, options);
        using var utf8 = Encoding.CreateTranscodingStream(whole, encoding, Encoding.UTF8, leaveOpen: true);
        var utf8Prefix = Encoding.UTF8.GetBytes(text.Length > SniffBytes / 2 ? text[..(SniffBytes / 2)] : text);
        return Read(utf8, utf8Prefix, options);
    }

    public static SbomDocument Read(string path, SbomReaderOptions? options = null)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Read(file, options);
    }

    /// <summary>Which format a UTF-8 prefix of a document is in; null when it is none Sustain reads, with the reason.</summary>
    public static SbomFormat? Detect(ReadOnlySpan<byte> utf8Prefix, out string? reason)
    {
        reason = null;
        var i = 0;
        if (utf8Prefix.StartsWith("\uFEFF"u8))
            i = 3;
        while (i < utf8Prefix.Length && utf8Prefix[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            i++;
        if (i == utf8Prefix.Length)
        {
            reason = "the document is empty";
            return null;
        }

        switch (utf8Prefix[i])
        {
            case (byte)'<':
                return SbomFormat.CycloneDxXml;
            case (byte)'{':
                return DetectJson(utf8Prefix[i..], out reason);
            default:
                return DetectText(utf8Prefix[i..], out reason);
        }
    }

    private static SbomDocument Read(Stream utf8, ReadOnlySpan<byte> prefix, SbomReaderOptions options)
    {
        var format = Detect(prefix, out var reason) ?? throw new SbomFormatException(string.Empty, reason!);
        try
        {
            return format switch
            {
                SbomFormat.CycloneDxJson => CycloneDxJsonReader.Read(utf8, options),
                SbomFormat.CycloneDxXml => CycloneDxXmlReader.Read(utf8, options),
                SbomFormat.SpdxJson => SpdxJsonReader.Read(utf8, options),
                SbomFormat.SpdxTagValue => SpdxTagValueReader.Read(utf8, options),
                SbomFormat.Spdx3JsonLd => Spdx3JsonLdReader.Read(utf8, options),
                _ => throw new SbomFormatException(string.Empty, "unsupported format"),
            };
        }
        catch (JsonException e)
        {
            // The JSON readers' syntax errors, caught once here rather than around every token (see JsonStream).
            throw JsonStream.Syntax(e);
        }
    }

    private static SbomFormat? DetectJson(ReadOnlySpan<byte> json, out string? reason)
    {
        reason = null;
        var reader = new Utf8JsonReader(json, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }));
        var sawContext = false;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                    continue;
                if (reader.ValueTextEquals("bomFormat"u8))
                    return SbomFormat.CycloneDxJson;
                if (reader.ValueTextEquals("spdxVersion"u8) || reader.ValueTextEquals("SPDXID"u8))
                    return SbomFormat.SpdxJson;
                if (reader.ValueTextEquals("@context"u8))
                {
                    sawContext = true;
                    if (reader.Read() && reader.TokenType == JsonTokenType.String && (reader.GetString() ?? string.Empty).Contains("spdx", StringComparison.OrdinalIgnoreCase))
                        return SbomFormat.Spdx3JsonLd;
                }
                else if (reader.ValueTextEquals("@graph"u8) && sawContext)
                {
                    return SbomFormat.Spdx3JsonLd;
                }
            }
        }
        catch (JsonException e)
        {
            reason = $"line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: invalid JSON";
            return null;
        }

        reason = sawContext
            ? "a JSON-LD document that is not SPDX 3 (its @context does not name SPDX)"
            : "a JSON document that is neither CycloneDX (no \"bomFormat\"), SPDX 2 (no \"spdxVersion\") nor SPDX 3 (no \"@context\")";
        return null;
    }

    private static SbomFormat? DetectText(ReadOnlySpan<byte> text, out string? reason)
    {
        reason = null;
        var lines = Encoding.UTF8.GetString(text).Split('\n');
        var complete = text.Length < SniffBytes ? lines.Length : lines.Length - 1;
        for (var n = 0; n < complete; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (line.StartsWith("SPDXVersion:", StringComparison.Ordinal))
                return SbomFormat.SpdxTagValue;
            if (line.StartsWith("spdxVersion:", StringComparison.Ordinal))
            {
                reason = $"line {n + 1}: SPDX in YAML is not supported; convert it to SPDX JSON or tag-value";
                return null;
            }

            if (line.StartsWith("---", StringComparison.Ordinal))
                continue;
            if (line.Contains(':', StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) < 40)
                continue;
            break;
        }

        reason = "not a recognised SBOM: expected CycloneDX (JSON or XML), SPDX 2 (JSON or tag-value) or SPDX 3 (JSON-LD)";
        return null;
    }

    /// <summary>UTF-16 and UTF-32 by their byte-order mark, or UTF-16 without one by its zero bytes; null for UTF-8.</summary>
    private static Encoding? DetectEncoding(ReadOnlySpan<byte> prefix)
    {
        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0, 0]))
            return new UTF32Encoding(bigEndian: false, byteOrderMark: true, throwOnInvalidCharacters: true);
        if (prefix.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]))
            return new UTF32Encoding(bigEndian: true, byteOrderMark: true, throwOnInvalidCharacters: true);
        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            return new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true);
        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true);
        if (prefix.Length >= 4 && prefix[0] != 0 && prefix[1] == 0 && prefix[2] != 0 && prefix[3] == 0)
            return new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
        if (prefix.Length >= 4 && prefix[0] == 0 && prefix[1] != 0 && prefix[2] == 0 && prefix[3] != 0)
            return new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);
        return null;
    }

    private static int ReadPrefix(Stream stream, byte[] prefix)
    {
        var length = 0;
        int read;
        while (length < prefix.Length && (read = stream.Read(prefix, length, prefix.Length - length)) > 0)
            length += read;
        return length;
    }

    /// <summary>Refuses a document past <see cref="SbomReaderOptions.MaxBytes"/> as soon as the limit is crossed, whatever the reader.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : ReadOnlyStream
    {
        private long _read;

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            _read += n;
            if (_read > limit)
                throw new SbomLimitExceededException($"The document is larger than {limit:N0} bytes, the most this server reads.");
            return n;
        }
    }

    /// <summary>The sniffed prefix followed by the rest of the stream, so nothing is read twice.</summary>
    private sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream rest) : ReadOnlyStream
    {
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            if (_position < prefixLength)
            {
                var n = Math.Min(buffer.Length, prefixLength - _position);
                prefix.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }

            return rest.Read(buffer);
        }
    }

    private abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public abstract override int Read(Span<byte> buffer);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
