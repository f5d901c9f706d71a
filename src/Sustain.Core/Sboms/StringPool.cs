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

    public StringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

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
