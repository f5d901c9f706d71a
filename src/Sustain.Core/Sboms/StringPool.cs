namespace Sustain.Core.Sboms;

/// <summary>
/// One string for each short value a document repeats (licence ids, versions, reference types), so a model of
/// fifty thousand components holds a few hundred such strings rather than fifty thousand copies. Per document.
/// </summary>
internal sealed class StringPool
{
    /// <summary>Longer values rarely repeat; a bounded pool cannot be grown without limit by a hostile document.</summary>
    public const int MaxLength = 64;

    private const int MaxEntries = 4096;

    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private readonly LastValue<string> _last = new(MaxLength);

    public StringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// As <see cref="Get(ReadOnlySpan{char})"/>, for text as a JSON reader has it. Documents name the same value many times
    /// in a row (every component's licence "MIT"), so the last one is compared as bytes before anything is decoded.
    /// </summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (_last.TryGet(utf8, out var last))
            return last;
        Span<char> buffer = stackalloc char[MaxLength];
        return _last.Remember(utf8, utf8.Length <= MaxLength && System.Text.Unicode.Utf8.ToUtf16(utf8, buffer, out _, out var written) == System.Buffers.OperationStatus.Done
            ? Get(buffer[..written])
            : System.Text.Encoding.UTF8.GetString(utf8));
    }

    public string Get(ReadOnlySpan<char> value) => _lookup.TryGetValue(value, out var pooled) ? pooled : Keep(value.ToString());

    /// <summary>The pooled string equal to <paramref name="value"/>, or <paramref name="value"/> itself, pooled from now on.</summary>
    public string Get(string value) => _strings.TryGetValue(value, out var pooled) ? pooled : Keep(value);

    private string Keep(string value)
    {
        if (_strings.Count < MaxEntries && value.Length <= MaxLength)
            _strings.Add(value);
        return value;
    }
}
