using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;

namespace Sustain.Core.Sboms;

/// <summary>
/// A <see cref="Utf8JsonReader"/> over a <see cref="Stream"/>, refilled chunk by chunk, so a reader
/// never holds more of a document than its largest single token. Pass it by <c>ref</c>.
/// A syntax error surfaces as the reader's <see cref="JsonException"/>, which <see cref="SbomReader"/> turns into an
/// <see cref="SbomFormatException"/> with line and column (<see cref="Syntax"/>): catching it here, around every
/// token, would keep <see cref="Read"/> from being inlined.
/// </summary>
public ref struct JsonStream
{
    private const int InitialBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _length;
    private bool _final;
    private int _spanStart;
    private long _windowOffset;
    private Utf8JsonReader _reader;

    public JsonStream(Stream stream, SbomReaderOptions options)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        _length = 0;
        _final = false;
        Fill(0);
        _spanStart = _length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF ? 3 : 0;
        _windowOffset = _spanStart;
        // Comments are not JSON and no SBOM tool writes them; allowing them would cost every token of every document
        // a sixth more time in the reader. A stray comment is refused with its line and column like any other syntax error.
        _reader = new Utf8JsonReader(_buffer.AsSpan(_spanStart, _length - _spanStart), _final, new JsonReaderState(new JsonReaderOptions { MaxDepth = options.MaxDepth, AllowTrailingCommas = true }));
    }

    public readonly JsonTokenType TokenType => _reader.TokenType;

    public readonly int CurrentDepth => _reader.CurrentDepth;

    /// <summary>Advances to the next token; false only at the end of the document.</summary>
    public bool Read()
    {
        while (!_reader.Read())
        {
            if (_final)
                return false;
            Refill();
        }

        return true;
    }

    /// <summary>Reads the next token and fails with the given message when the document ends instead.</summary>
    public void ReadRequired(string path)
    {
        if (!Read())
            throw new SbomFormatException(path, "the document ends unexpectedly");
    }

    /// <summary>Skips the value the reader is on (after a property name, the property's value), however large.</summary>
    public void Skip()
    {
        if (_reader.TokenType == JsonTokenType.PropertyName)
            ReadRequired(string.Empty);
        if (_reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            return;
        var depth = _reader.CurrentDepth;
        do
        {
            ReadRequired(string.Empty);
        }
        while (_reader.CurrentDepth > depth || _reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray));
    }

    /// <summary>
    /// Whether the current string or property name is <paramref name="utf8"/>. Names and values as written (nearly all of
    /// them) are compared as bytes, which the JIT unrolls for a literal; only an escaped one goes through the reader's
    /// unescaping comparison. Readers dispatch on a property name with a chain of these, so they run a million times a document.
    /// </summary>
    public readonly bool ValueTextEquals(ReadOnlySpan<byte> utf8) =>
        _reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName
        && (_reader.ValueIsEscaped ? EscapedTextEquals(utf8) : _reader.ValueSpan.SequenceEqual(utf8));

    private readonly bool EscapedTextEquals(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return _reader.ValueTextEquals(utf8);
        }
        catch (InvalidOperationException)
        {
            throw InvalidUtf8();
        }
    }

    /// <summary>The current value's length in bytes as written (the reader runs over one buffer, never a sequence): room enough for <see cref="TryCopyString"/>, which never writes more characters.</summary>
    internal readonly int ValueLength => _reader.ValueSpan.Length;

    /// <summary>
    /// Copies the current string (unescaped) into <paramref name="destination"/> without allocating, so a
    /// reader can look a value up or test it before deciding to keep it; false when it does not fit.
    /// </summary>
    public readonly bool TryCopyString(Span<char> destination, out int written)
    {
        written = 0;
        if (_reader.TokenType != JsonTokenType.String || ValueLength > destination.Length)
            return false;
        try
        {
            written = _reader.CopyString(destination);
        }
        catch (InvalidOperationException)
        {
            throw InvalidUtf8();
        }

        return true;
    }

    /// <summary>
    /// The current string as UTF-8, unescaped: the reader's own bytes when the document wrote the string without escapes
    /// (nearly always; checked to be UTF-8), otherwise unescaped into <paramref name="scratch"/>, which grows as needed.
    /// Valid until the next <see cref="Read"/>.
    /// </summary>
    public readonly ReadOnlySpan<byte> Utf8String(scoped ref byte[] scratch) =>
        !_reader.ValueIsEscaped ? IsUtf8(_reader.ValueSpan) ? _reader.ValueSpan : throw InvalidUtf8() : Unescaped(ref scratch);

    /// <summary>Whether text is UTF-8. Nearly every string of an SBOM is ASCII, and for a short one that test costs about half the full one (measured: 3 ns against 5).</summary>
    private static bool IsUtf8(ReadOnlySpan<byte> text) => Ascii.IsValid(text) || Utf8.IsValid(text);

    /// <summary>
    /// As <see cref="Utf8String"/>, but a string written without escapes is not checked to be UTF-8: for a reader that
    /// compares it with text it has checked already (an id with the ids of the packages) and checks it itself before it
    /// keeps or decodes it otherwise.
    /// </summary>
    public readonly ReadOnlySpan<byte> UncheckedUtf8String(scoped ref byte[] scratch) =>
        !_reader.ValueIsEscaped ? _reader.ValueSpan : Unescaped(ref scratch);

    private readonly ReadOnlySpan<byte> Unescaped(scoped ref byte[] scratch)
    {
        if (scratch.Length < ValueLength)
            scratch = new byte[Math.Max(ValueLength, scratch.Length * 2)];
        try
        {
            return scratch.AsSpan(0, _reader.CopyString(scratch));
        }
        catch (InvalidOperationException)
        {
            throw InvalidUtf8();
        }
    }

    /// <summary>
    /// Copies <paramref name="utf8"/> (a string as <see cref="Utf8String"/> gives it) into <paramref name="destination"/>,
    /// grown as needed, so that it outlives the next <see cref="Read"/>; returns its length.
    /// </summary>
    public static int CopyOut(ReadOnlySpan<byte> utf8, ref byte[] destination)
    {
        if (utf8.Length > destination.Length)
            destination = new byte[Math.Max(utf8.Length, destination.Length * 2)];
        utf8.CopyTo(destination);
        return utf8.Length;
    }

    /// <summary>The current property name as UTF-8, unescaped into <paramref name="scratch"/> only when the document escaped it. Valid until the next <see cref="Read"/>.</summary>
    /// <remarks>Not checked to be UTF-8: a reader only compares a name with the names it knows.</remarks>
    public readonly ReadOnlySpan<byte> PropertyName(scoped ref byte[] scratch) => UncheckedUtf8String(ref scratch);

    /// <summary>The current string (its token type checked by the caller), shared through <paramref name="pool"/> when it is short.</summary>
    internal readonly string GetPooledString(StringPool pool)
    {
        if (!_reader.ValueIsEscaped && _reader.ValueSpan.Length <= StringPool.MaxLength && IsUtf8(_reader.ValueSpan))
            return pool.Get(_reader.ValueSpan);
        Span<char> buffer = stackalloc char[StringPool.MaxLength];
        return TryCopyString(buffer, out var written) ? pool.Get(buffer[..written]) : ReaderString();
    }

    /// <summary>The current string (or property name); numbers and booleans as written; null for null.</summary>
    public readonly string? GetString(string path)
    {
        return _reader.TokenType switch
        {
            JsonTokenType.String or JsonTokenType.PropertyName => ReaderString(),
            JsonTokenType.Null => null,
            JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => Encoding.UTF8.GetString(_reader.ValueSpan),
            _ => throw new SbomFormatException(path, $"expected a string, found {Describe(_reader.TokenType)}"),
        };
    }

    /// <summary>The current string; a clear error if it is anything else.</summary>
    public readonly string GetRequiredString(string path) =>
        _reader.TokenType == JsonTokenType.String ? ReaderString() : throw new SbomFormatException(path, $"expected a string, found {Describe(_reader.TokenType)}");

    public readonly void Expect(JsonTokenType type, string path)
    {
        if (_reader.TokenType != type)
            throw new SbomFormatException(path, $"expected {Describe(type)}, found {Describe(_reader.TokenType)}");
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    public static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.EndObject => "the end of an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.EndArray => "the end of an array",
        JsonTokenType.PropertyName => "a property name",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    private void Refill()
    {
        var start = _spanStart + (int)_reader.BytesConsumed;
        _windowOffset += _reader.BytesConsumed;
        var remaining = _length - start;
        if (remaining >= _buffer.Length / 2)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, start, larger, 0, remaining);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        else if (remaining > 0)
        {
            Buffer.BlockCopy(_buffer, start, _buffer, 0, remaining);
        }

        _spanStart = 0;
        Fill(remaining);
        _reader = new Utf8JsonReader(_buffer.AsSpan(0, _length), _final, _reader.CurrentState);
    }

    private void Fill(int from)
    {
        _length = from;
        while (_length < _buffer.Length)
        {
            var read = _stream.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0)
            {
                _final = true;
                break;
            }

            _length += read;
        }
    }

    /// <summary>The current string or property name, unescaped; a located error when it is not UTF-8, which the reader checks only when a string is decoded.</summary>
    private readonly string ReaderString()
    {
        try
        {
            return _reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw InvalidUtf8();
        }
    }

    private readonly SbomFormatException InvalidUtf8() =>
        new(string.Create(CultureInfo.InvariantCulture, $"byte {_windowOffset + _reader.TokenStartIndex + 1}"), $"the {(_reader.TokenType == JsonTokenType.PropertyName ? "property name" : "string")} is not valid UTF-8");

    /// <summary>A syntax error as a located format error: "line 3, column 14", "invalid JSON: …".</summary>
    public static SbomFormatException Syntax(JsonException e)
    {
        var line = (e.LineNumber ?? 0) + 1;
        var column = (e.BytePositionInLine ?? 0) + 1;
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
            message = message[..cut];
        return new SbomFormatException($"line {line}, column {column}", $"invalid JSON: {message.TrimEnd('.', ' ')}", e);
    }
}
